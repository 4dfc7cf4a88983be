/** The id formats of ingest envelopes and of the entities they name. */
/** Client event ids: no '/', which the service reserves for the ids of the events it derives. */
export const CLIENT_EVENT_ID = /^[A-Za-z0-9._:@+=-]{1,200}$/;
export const ENTITY_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const ID_MESSAGE = 'must be 1..128 characters of A-Za-z0-9._:-';
