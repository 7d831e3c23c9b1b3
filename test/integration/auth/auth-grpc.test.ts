import { randomUUID } from 'node:crypto';
import { credentials, loadPackageDefinition, Metadata, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, writeIdentity } from '@convene/common';
import { AuthGrpc, grpcServerOptions, type Role } from '@convene/contracts';
import { AuthConfig } from '../../../apps/auth/src/auth.config';
import { AuthAppModule } from '../../../apps/auth/src/auth.module';

jest.setTimeout(60_000);

type Call = (
  request: object,
  metadata: Metadata,
  callback: (error: ServiceError | null, response: any) => void,
) => void;

describe('AuthService over gRPC', () => {
  let app: INestMicroservice;
  let client: Record<string, Call>;
  const port = 40_000 + Math.floor(Math.random() * 10_000);

  beforeAll(async () => {
    const config = loadConfig(AuthConfig, {
      GCP_PROJECT_ID: `grpc-${randomUUID().slice(0, 8)}`,
      FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST,
      PUBSUB_EMULATOR_HOST: process.env.PUBSUB_EMULATOR_HOST,
      OUTBOX_POLL_MS: '60000',
    });
    app = await NestFactory.createMicroservice(AuthAppModule.forRoot(config), {
      ...grpcServerOptions(AuthGrpc, `127.0.0.1:${port}`),
      logger: false,
    });
    await app.listen();
    const definition = loadPackageDefinition(loadSync(AuthGrpc.protoPath, { keepCase: false, defaults: true }));
    const Service = (definition as any).convene.auth.v1.AuthService;
    client = new Service(`127.0.0.1:${port}`, credentials.createInsecure());
  });

  afterAll(async () => {
    (client as unknown as { close(): void }).close();
    await app.close();
  });

  const call = (method: string, request: object, metadata = new Metadata()) =>
    new Promise<{ error: ServiceError | null; response: any }>((resolve) =>
      client[method]!.call(client, request, metadata, (error, response) => resolve({ error, response })),
    );
  const as = (userId: string, ...roles: Role[]) => {
    const metadata = new Metadata();
    writeIdentity(metadata, { userId, roles });
    return metadata;
  };

  it('registers, answers the user without secrets, and maps domain errors to gRPC codes', async () => {
    const email = `grpc-${randomUUID().slice(0, 8)}@example.com`;
    const registered = await call('Register', { email, password: 'violet-tram-42-quietly', displayName: 'G' });
    expect(registered.error).toBeNull();
    expect(registered.response.user).toMatchObject({ email, roles: ['attendee'] });
    expect(JSON.stringify(registered.response)).not.toContain('argon2');

    const again = await call('Register', { email, password: 'violet-tram-42-quietly', displayName: 'G' });
    expect(again.error?.code).toBe(6); // ALREADY_EXISTS
    expect(again.error?.metadata.get('convene-error-code')).toEqual(['EMAIL_TAKEN']);

    const wrong = await call('Login', { email, password: 'nope-nope-nope' });
    expect(wrong.error?.code).toBe(16); // UNAUTHENTICATED

    const anonymous = await call('GetMe', {});
    expect(anonymous.error?.code).toBe(16);

    const me = await call('GetMe', {}, as(registered.response.user.id, 'attendee'));
    expect(me.response).toEqual(registered.response.user);

    const forbidden = await call(
      'GrantRole',
      { userId: me.response.id, role: 'admin' },
      as(me.response.id, 'attendee'),
    );
    expect(forbidden.error?.code).toBe(7); // PERMISSION_DENIED

    const jwks = await call('GetJwks', {});
    expect(jwks.response.keys).toHaveLength(1);
    expect(jwks.response.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  });
});
