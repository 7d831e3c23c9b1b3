import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { JsonRequestBodyInterceptor } from './json-request-body';

/** Every route's request body is checked before anything else reads it (see JsonRequestBodyInterceptor). */
@Module({ providers: [{ provide: APP_INTERCEPTOR, useClass: JsonRequestBodyInterceptor }] })
export class RequestBodyModule {}
