import 'reflect-metadata';
export * from './config/config-error';
export * from './config/load-config';
export * from './config/base-service.config';
export * from './config/grpc-service.config';
export * from './config/exit-on-config-error';
export * from './config/is-host-port.decorator';
export * from './config/int-setting.decorator';
export * from './config/secret-variable';

export * from './logging/correlation-context';
export * from './logging/correlation-id';
export * from './logging/json-logger';
export * from './logging/grpc-correlation-metadata';

export * from './errors/error-codes';
export * from './errors/domain-error';
export * from './errors/problem-details';
export * from './errors/validation-exception.factory';
export * from './errors/validation.pipe';
export * from './errors/problem-details.filter';
export * from './errors/grpc-error-metadata';
export * from './errors/grpc-error.filter';
export * from './errors/domain-error-from-grpc';

export * from './metrics/metrics-options';
export * from './metrics/metrics';
export * from './metrics/metrics.controller';
export * from './metrics/http-metrics';
export * from './metrics/grpc-metrics.interceptor';

export * from './health/readiness-indicator';
export * from './health/health.registry';
export * from './health/health.controller';

export * from './observability/observability.module';

export * from './bootstrap/create-http-app';
export * from './bootstrap/http-correlation';
export * from './bootstrap/grpc-correlation.interceptor';
export * from './identity/identity';
export * from './identity/call-as';
export * from './time/clock';
export * from './time/work-loop';
export * from './errors/grpc-code';
export * from './pagination/position-cursor';
export * from './cache/read-through-cache';
