import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@convene/common';
import { FirestoreModule } from '@convene/firestore';
import { AdminController } from './admin/admin.controller';
import { AuthModule } from './auth/auth.module';
import { EventsController } from './events/events.controller';
import { MyEventsController } from './events/my-events.controller';
import type { GatewayConfig } from './gateway.config';
import { GrpcClientsModule } from './grpc/grpc-clients.module';
import { RequestBodyModule } from './http/request-body.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { MeController } from './me/me.controller';
import { NotificationPreferencesController } from './notifications/notification-preferences.controller';
import { NotificationStreamController } from './notifications/notification-stream.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { WebhooksController } from './notifications/webhooks.controller';
import { AttendeesController } from './registrations/attendees.controller';
import { AvailabilityController } from './registrations/availability.controller';
import { CheckInsController } from './registrations/check-ins.controller';
import { MyRegistrationsController } from './registrations/my-registrations.controller';
import { RegistrationsController } from './registrations/registrations.controller';
import { TicketsController } from './registrations/tickets.controller';
import { ReviewsController } from './reviews/reviews.controller';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'gateway' }),
        // The gateway owns `idempotencyKeys`; Firestore is also what its readiness depends on.
        FirestoreModule.forRoot({ projectId: config.GCP_PROJECT_ID, emulatorHost: config.FIRESTORE_EMULATOR_HOST }),
        GrpcClientsModule.forRoot(config),
        AuthModule,
        RequestBodyModule,
        IdempotencyModule,
      ],
      controllers: [
        EventsController,
        MyEventsController,
        MeController,
        AdminController,
        RegistrationsController,
        MyRegistrationsController,
        TicketsController,
        CheckInsController,
        AttendeesController,
        AvailabilityController,
        ReviewsController,
        NotificationsController,
        NotificationStreamController,
        NotificationPreferencesController,
        WebhooksController,
      ],
    };
  }
}
