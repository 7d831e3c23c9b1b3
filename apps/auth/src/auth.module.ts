import { Module, type DynamicModule } from '@nestjs/common';
import { Clock, ObservabilityModule } from '@convene/common';
import { FirestoreModule } from '@convene/firestore';
import { OutboxModule, PubSubModule } from '@convene/pubsub';
import { AccountsGrpcController } from './accounts/accounts.grpc.controller';
import { AccountsService } from './accounts/accounts.service';
import { FirestoreUsersRepository } from './accounts/firestore-users.repository';
import { UserLookupGrpcController } from './accounts/user-lookup.grpc.controller';
import { UserLookupService } from './accounts/user-lookup.service';
import { UsersRepository } from './accounts/users.repository';
import { AuthConfig } from './auth.config';
import { PasswordHasher } from './passwords/password-hasher';
import { FirestoreSigningKeysRepository } from './signing-keys/firestore-signing-keys.repository';
import { SigningKeysGrpcController } from './signing-keys/signing-keys.grpc.controller';
import { SigningKeysRepository } from './signing-keys/signing-keys.repository';
import { SigningKeysService } from './signing-keys/signing-keys.service';
import { FirestoreLoginThrottlesRepository } from './throttling/firestore-login-throttles.repository';
import { LoginThrottleService } from './throttling/login-throttle.service';
import { LoginThrottlesRepository } from './throttling/login-throttles.repository';
import { AccessTokenIssuer } from './tokens/access-token.issuer';
import { FirestoreRefreshTokensRepository } from './tokens/firestore-refresh-tokens.repository';
import { RefreshTokensRepository } from './tokens/refresh-tokens.repository';
import { TokensGrpcController } from './tokens/tokens.grpc.controller';
import { TokensService } from './tokens/tokens.service';

/** The auth service: accounts, sessions (access + refresh tokens), signing keys, login throttling. */
@Module({})
export class AuthAppModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthAppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'auth' }),
        FirestoreModule.forRoot({ projectId: config.GCP_PROJECT_ID, emulatorHost: config.FIRESTORE_EMULATOR_HOST }),
        PubSubModule.forRoot({
          projectId: config.GCP_PROJECT_ID,
          service: 'auth',
          emulatorHost: config.PUBSUB_EMULATOR_HOST,
        }),
        OutboxModule.forRoot({ service: 'auth', pollIntervalMs: config.OUTBOX_POLL_MS }),
      ],
      controllers: [AccountsGrpcController, UserLookupGrpcController, TokensGrpcController, SigningKeysGrpcController],
      providers: [
        { provide: AuthConfig, useValue: config },
        Clock,
        PasswordHasher,
        AccountsService,
        UserLookupService,
        TokensService,
        AccessTokenIssuer,
        SigningKeysService,
        LoginThrottleService,
        { provide: UsersRepository, useClass: FirestoreUsersRepository },
        { provide: RefreshTokensRepository, useClass: FirestoreRefreshTokensRepository },
        { provide: SigningKeysRepository, useClass: FirestoreSigningKeysRepository },
        { provide: LoginThrottlesRepository, useClass: FirestoreLoginThrottlesRepository },
      ],
    };
  }
}
