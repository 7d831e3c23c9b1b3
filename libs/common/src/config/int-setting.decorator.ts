import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/**
 * An integer setting read from the environment (a string there) and kept within [min, max]:
 * `@IntSetting(1, 65535) GRPC_PORT = 50051;`. A value outside, or not an integer, stops the app at
 * boot with a message naming the variable.
 */
export function IntSetting(min: number, max: number): PropertyDecorator {
  const decorators = [Type(() => Number), IsInt(), Min(min), Max(max)];
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };
}
