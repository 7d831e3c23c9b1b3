import { type DynamicModule, Global, Module } from '@nestjs/common';
import { HealthController } from '../health/health.controller';
import { HealthRegistry } from '../health/health.registry';
import { GrpcMetricsInterceptor } from '../metrics/grpc-metrics.interceptor';
import { Metrics } from '../metrics/metrics';
import { MetricsController } from '../metrics/metrics.controller';
import { METRICS_OPTIONS, type MetricsOptions } from '../metrics/metrics-options';

/** Metrics, health and their endpoints, once per app (global: every module registers into them). */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: MetricsOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [MetricsController, HealthController],
      providers: [{ provide: METRICS_OPTIONS, useValue: options }, Metrics, HealthRegistry, GrpcMetricsInterceptor],
      exports: [Metrics, HealthRegistry, GrpcMetricsInterceptor],
    };
  }
}
