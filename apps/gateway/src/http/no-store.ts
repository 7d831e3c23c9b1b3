import { Header } from '@nestjs/common';

/** For responses that carry tokens or secrets: no cache, shared or private, may keep them. */
export const NoStore = (): MethodDecorator => Header('cache-control', 'no-store');
