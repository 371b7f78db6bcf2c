/**
 * A small in-memory history of the kit's headline figures, one sample every 10 s for the last 30
 * minutes, in fixed memory and off the request path: what the status page, {@code /metrics.json}
 * and the terminal {@code top} draw their lines from.
 */
package dev.inferwatch.core.history;
