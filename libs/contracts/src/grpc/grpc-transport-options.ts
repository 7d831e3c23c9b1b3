import { Transport, type GrpcOptions } from '@nestjs/microservices';
import { PROTO_LOADER_OPTIONS, type GrpcServiceDefinition } from './grpc-services';
import { RECONNECT_CHANNEL_OPTIONS } from './reconnect-channel-options';

/** Options for a service's gRPC server (`app.connectMicroservice`). `url` is "host:port". */
export function grpcServerOptions(definition: GrpcServiceDefinition, url: string): GrpcOptions {
  return grpcOptions(definition, url, { gracefulShutdown: true });
}

/** Options for a gRPC client of `definition` (ClientsModule), same loader options as the server. */
export function grpcClientOptions(definition: GrpcServiceDefinition, url: string): GrpcOptions {
  return grpcOptions(definition, url, { channelOptions: RECONNECT_CHANNEL_OPTIONS });
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
