/** The body of POST /v1/events: 1..1000 envelopes, in order. */
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { EnvelopeRequest } from '../envelope.request';

export class IngestRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => EnvelopeRequest)
  events!: EnvelopeRequest[];
}
