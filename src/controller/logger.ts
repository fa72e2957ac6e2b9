/** Structured JSON logs (pino) with controller, namespace, name and reconcile id fields. */
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export function createLogger(
  level: string,
  destination: NodeJS.WritableStream = process.stdout,
): Logger {
  return pino(
    { level, base: { component: 'locust-operator' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
}
