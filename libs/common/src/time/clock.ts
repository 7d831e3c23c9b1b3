/** The service's notion of "now", injectable so tests can stand at a chosen instant. */
export class Clock {
  now(): Date {
    return new Date();
  }
}
