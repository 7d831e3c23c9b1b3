import { Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule, type ClientGrpc } from '@nestjs/microservices';
import { Clock, ObservabilityModule } from '@convene/common';
import { EventsGrpc, grpcClientOptions } from '@convene/contracts';
import { FirestoreModule } from '@convene/firestore';
import { PubSubModule } from '@convene/pubsub';
import { AudienceStore } from './audience/audience.store';
import { Dispatcher } from './dispatch/dispatcher';
import { NotificationTriggers } from './dispatch/triggers';
import { emailProviders } from './email';
import { EVENTS_SERVICE, EventFactsSettings, EventFactsStore } from './facts/event-facts.store';
import { FanoutStore } from './fanout/fanout.store';
import { FanoutSettings, FanoutWorker } from './fanout/fanout.worker';
import type { NotificationsConfig } from './notifications.config';
import { InboxGrpcController } from './inbox/inbox.grpc.controller';
import { InboxStore } from './inbox/inbox.store';
import { LiveNotifications } from './inbox/live-notifications';
import { NotificationFeed } from './inbox/notification-feed';
import { DeliverySettings, NotificationsMessagesController } from './dispatch/messages.controller';
import { InAppWebhookDisabledNotifier } from './dispatch/in-app-webhook-notifier';
import { PreferencesStore } from './preferences/preferences.store';
import { RecipientsStore } from './recipients/recipients.store';
import { ReminderScheduler, ReminderSettings } from './reminders/reminder-scheduler';
import { RemindersController } from './reminders/reminders.controller';
import { WebhookDisabledNotifier, webhookControllers, webhookProviders } from './webhooks';

const EVENTS_CLIENT = Symbol('EVENTS_CLIENT');

/**
 * Everyone learns what concerns them, once, on the channels they chose: in-app (and its live stream),
 * email (with calendar invites) and organizers' signed webhooks.
 */
@Module({})
export class NotificationsAppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsAppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'notifications' }),
        FirestoreModule.forRoot({ projectId: config.GCP_PROJECT_ID, emulatorHost: config.FIRESTORE_EMULATOR_HOST }),
        PubSubModule.forRoot({
          projectId: config.GCP_PROJECT_ID,
          service: 'notifications',
          emulatorHost: config.PUBSUB_EMULATOR_HOST,
          maxDeliveryAttempts: config.PUBSUB_MAX_DELIVERY_ATTEMPTS,
        }),
        ClientsModule.register([{ name: EVENTS_CLIENT, ...grpcClientOptions(EventsGrpc, config.EVENTS_GRPC_URL) }]),
      ],
      controllers: [NotificationsMessagesController, InboxGrpcController, RemindersController, ...webhookControllers],
      providers: [
        Clock,
        InboxStore,
        LiveNotifications,
        NotificationFeed,
        RecipientsStore,
        PreferencesStore,
        AudienceStore,
        EventFactsStore,
        FanoutStore,
        FanoutWorker,
        Dispatcher,
        NotificationTriggers,
        ReminderScheduler,
        ...emailProviders(config),
        ...webhookProviders(config),
        { provide: WebhookDisabledNotifier, useClass: InAppWebhookDisabledNotifier },
        { provide: DeliverySettings, useValue: { maxDeliveryAttempts: config.PUBSUB_MAX_DELIVERY_ATTEMPTS } },
        { provide: EventFactsSettings, useValue: { deadlineMs: config.GRPC_DEADLINE_MS } },
        {
          provide: FanoutSettings,
          useValue: {
            pageSize: config.FANOUT_PAGE_SIZE,
            leaseMs: config.FANOUT_LEASE_MS,
            pollIntervalMs: config.FANOUT_POLL_MS,
          },
        },
        {
          provide: ReminderSettings,
          useValue: { mode: config.REMINDER_MODE, pollIntervalMs: config.REMINDER_POLL_MS },
        },
        {
          provide: EVENTS_SERVICE,
          useFactory: (c: ClientGrpc) => c.getService(EventsGrpc.service),
          inject: [EVENTS_CLIENT],
        },
      ],
    };
  }
}
