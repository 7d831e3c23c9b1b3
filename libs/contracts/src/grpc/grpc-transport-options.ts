import { Transport, type GrpcOptions } from '@nestjs/microservices';
import { PROTO_LOADER_OPTIONS, type GrpcServiceDefinition } from './grpc-services';
import { RECONNECT_CHANNEL_OPTIONS } from './reconnect-channel-options';

/**
 * A server asks each client connection to move on after this long (GOAWAY): the client reconnects and
 * resolves the service's name again, so replicas an autoscaler added receive calls from clients that
 * were already connected. Calls in flight, long streams included, finish on the old connection.
 */
export const GRPC_MAX_CONNECTION_AGE_MS = 120_000;

/** Options for a service's gRPC server (`app.connectMicroservice`). `url` is "host:port". */
export function grpcServerOptions(definition: GrpcServiceDefinition, url: string): GrpcOptions {
  return grpcOptions(definition, url, {
    gracefulShutdown: true,
    channelOptions: {
      'grpc.max_connection_age_ms': GRPC_MAX_CONNECTION_AGE_MS,
      // Streams (availability, live notifications) may outlive the age by far: let them end on their own.
      'grpc.max_connection_age_grace_ms': 24 * 3_600_000,
    },
  });
}

/**
 * Options for a gRPC client of `definition` (ClientsModule), same loader options as the server.
 * round_robin spreads calls over every address the name resolves to (in Kubernetes the services are
 * headless, so that is every ready pod); with one address it is the same as pick_first.
 */
export function grpcClientOptions(definition: GrpcServiceDefinition, url: string): GrpcOptions {
  return grpcOptions(definition, url, {
    channelOptions: {
      ...RECONNECT_CHANNEL_OPTIONS,
      'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    },
  });
}

function grpcOptions(
  definition: GrpcServiceDefinition,
  url: string,
  extra: Partial<GrpcOptions['options']>,
): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      package: definition.package,
      protoPath: definition.protoPath,
      url,
      loader: PROTO_LOADER_OPTIONS,
      ...extra,
    },
  };
}
