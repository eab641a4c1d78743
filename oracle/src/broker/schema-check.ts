/** The compiled TypeBox check of the hot path (broker authorizePublish, ingest): the one in `shared`. */
export { checkSchema } from '@hexium/shared/protocol/validate';
