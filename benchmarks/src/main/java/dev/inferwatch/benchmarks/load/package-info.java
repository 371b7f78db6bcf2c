/**
 * Load over loopback: the Jetty app every end-to-end figure runs ({@link
 * dev.inferwatch.benchmarks.load.HelloApp}), a closed-loop HTTP/1.1 load generator, rotating rounds
 * over several servers, child JVMs, and the end-to-end and streaming runs built on them.
 */
package dev.inferwatch.benchmarks.load;
