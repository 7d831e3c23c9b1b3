// Message classes carry class-validator/transformer decorators, which need the metadata polyfill.
import 'reflect-metadata';
export * from './topics';
export * from './messages/envelope';
export * from './messages/message-registry';
export * from './messages/event-published.v1';
export * from './messages/event-cancelled.v1';
export * from './messages/event-updated.v1';
export * from './messages/user-registered.v1';
export * from './messages/user-deleted.v1';
export * from './messages/event-capacity-changed.v1';
export * from './messages/registration-messages.v1';
export * from './auth/roles';
export * from './grpc/auth-grpc';
export * from './events/event-fields';
export * from './grpc/grpc-services';
export * from './grpc/registrations-grpc';
export * from './grpc/grpc-transport-options';
export * from './grpc/reconnect-channel-options';
