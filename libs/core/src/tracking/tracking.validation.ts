/** Field rules shared by the traffic envelopes (clicks, opt-ins, purchase attempts). */
import { IsString, Length } from 'class-validator';
import { Rules } from '../validation/rules';

/** The visitor id the tracking script keeps in its first-party cookie. */
export const IsVisitorId = (): PropertyDecorator => Rules(IsString(), Length(1, 200));

/** A partner or link code as the sender has it (resolved against the configuration when applied). */
export const IsCodeReference = (): PropertyDecorator => Rules(IsString(), Length(1, 128));
