/**
 * How cost grows with work: the filter with more live routes, a scrape with more series, the demo's
 * resident memory after more distinct paths, and the kit's footprint with every cardinality guard
 * at its cap and the start-up time it adds.
 */
package dev.inferwatch.benchmarks.growth;
