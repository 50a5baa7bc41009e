// The types of src/manifest-validator.generated.js, which scripts/manifest-validator.ts writes.
import type { ValidateFunction } from 'ajv'

/** The manifest's schema (src/inputs/manifest-schema.ts), compiled with every error reported. */
export declare const validate: ValidateFunction
export default validate
