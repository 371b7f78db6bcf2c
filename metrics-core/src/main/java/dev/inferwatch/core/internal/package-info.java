/**
 * Plumbing shared by the kit's own modules: naming, label guards, internal error counting, bucket
 * lists, daemon threads, the JSON mapper, JVM collectors and the management port.
 *
 * <p><b>Not API.</b> Public only so that the kit's other modules (servlet, GPU, Spring,
 * LangChain4j) can reach it; it may change in any release. Applications use {@code
 * dev.inferwatch.core} and its concern packages instead.
 */
package dev.inferwatch.core.internal;
