/**
 * Any error in words: the one door through which an error reaches a person (the run's failure,
 * each user's error line). A stopped rotation is worded from its facts; every other error by
 * `own()`, which asks each stage's wording in turn and falls back to the error's own message.
 */
import { RotationError } from '../rotation/stop.js'
import { own } from './failure-parts.js'
import { stopMessage } from './rotation-failure.js'

export const errorWords = (error: unknown): string =>
  error instanceof RotationError
    ? stopMessage(error.stop)
    : error instanceof Error
      ? own(error)
      : String(error)
