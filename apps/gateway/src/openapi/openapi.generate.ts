import { JsonLogger, loadConfig } from '@convene/common';
import { createGatewayApp } from '../gateway.app';
import { GatewayConfig } from '../gateway.config';
import { buildOpenApiDocument, stableStringify } from './openapi';

/**
 * The committed spec, from a gateway built with default config. Nothing connects: gRPC clients and
 * Firestore connect lazily, and the app never listens.
 */
export async function generateOpenApiJson(): Promise<string> {
  const config = loadConfig(GatewayConfig, {});
  const app = await createGatewayApp(config, new JsonLogger({ service: 'gateway', level: 'error' }));
  try {
    await app.init();
    return stableStringify(buildOpenApiDocument(app));
  } finally {
    await app.close();
  }
}
