/**
 * Servlet requests, responses and configs without a container, for benchmarks that call a filter or
 * servlet directly; every call nobody fakes throws, so an unexpected one shows.
 */
package dev.inferwatch.benchmarks.fakes;
