import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { Clock } from '@convene/common';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook';
import { WebhookSettings } from './webhook-settings';
import { SIGNATURE_HEADER, signConveneSignature } from './webhook-signature';
import { pinnedLookup, WebhookTargetGuard, type ResolvedTarget } from './webhook-target-guard';

export const WEBHOOK_USER_AGENT = 'Convene-Webhooks/1';

/** Error texts kept with an attempt are for the organizer's eyes; a stack trace is not. */
const MAX_ERROR_LENGTH = 300;

export interface SendResult {
  attempt: WebhookAttempt;
  succeeded: boolean;
}

/**
 * Makes one attempt of a delivery: checks the target again (its name may resolve elsewhere now),
 * POSTs the stored body to the checked address with the signature, and reports what happened. Never
 * throws: every failure is an attempt's outcome. Only a 2xx counts; redirects are not followed (a
 * redirect could point anywhere, including inside our network).
 */
@Injectable()
export class WebhookSender {
  constructor(
    private readonly guard: WebhookTargetGuard,
    private readonly settings: WebhookSettings,
    private readonly clock: Clock,
  ) {}

  async send(endpoint: WebhookEndpoint, delivery: WebhookDelivery): Promise<SendResult> {
    const at = this.clock.now();
    const started = performance.now();
    const finish = (outcome: { statusCode?: number; error?: string }): SendResult => {
      const statusCode = outcome.statusCode;
      const succeeded = statusCode !== undefined && statusCode >= 200 && statusCode < 300;
      let error = outcome.error;
      if (!succeeded && !error && statusCode !== undefined && statusCode >= 300 && statusCode < 400) {
        error = 'redirects are not followed';
      }
      return {
        attempt: {
          at: at.toISOString(),
          statusCode,
          error: error?.slice(0, MAX_ERROR_LENGTH),
          durationMs: Math.round(performance.now() - started),
        },
        succeeded,
      };
    };
    try {
      const url = new URL(endpoint.url);
      const target = await this.guard.resolve(url);
      const remainingMs = Math.max(1, Math.round(this.settings.timeoutMs - (performance.now() - started)));
      const headers: OutgoingHttpHeaders = {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(delivery.payload),
        'User-Agent': WEBHOOK_USER_AGENT,
        'Convene-Event-Id': delivery.eventId,
        'Convene-Event-Type': delivery.eventType,
        'Convene-Delivery-Id': delivery.id,
        // Signed as it leaves, so the receiver's replay window counts from this attempt.
        [SIGNATURE_HEADER]: signConveneSignature(
          endpoint.secret,
          delivery.payload,
          Math.floor(this.clock.now().getTime() / 1000),
        ),
      };
      const statusCode = await post(url, target, headers, delivery.payload, remainingMs, this.settings.timeoutMs);
      return finish({ statusCode });
    } catch (error) {
      return finish({ error: error instanceof Error ? error.message : String(error) });
    }
  }
}

/**
 * POSTs `body` to `url` over a fresh connection to `target`; resolves the response's status code, or
 * rejects after `remainingMs` (what is left of the attempt's `timeoutMs` after DNS).
 */
function post(
  url: URL,
  target: ResolvedTarget,
  headers: OutgoingHttpHeaders,
  body: string,
  remainingMs: number,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // agent: false — no pooled socket, whose address was checked for another attempt, is reused.
    const request = send(url, { method: 'POST', headers, agent: false, lookup: pinnedLookup(target) });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), remainingMs);
    request.on('response', (response) => {
      clearTimeout(timer);
      resolve(response.statusCode ?? 0);
      // Only the status matters: the body is not read, however long it is.
      response.destroy();
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
