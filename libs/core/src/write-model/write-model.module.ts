import { Global, Module } from '@nestjs/common';
import { EventWriter } from './event-writer';
import { WriteModelQueries } from './write-model.queries';

@Global()
@Module({ providers: [EventWriter, WriteModelQueries], exports: [EventWriter, WriteModelQueries] })
export class WriteModelModule {}
