/** The id format of ingest envelopes (the entities they name are resource ids: IsResourceId). */
/** Client event ids: no '/', which the service reserves for the ids of the events it derives. */
export const CLIENT_EVENT_ID = /^[A-Za-z0-9._:@+=-]{1,200}$/;
