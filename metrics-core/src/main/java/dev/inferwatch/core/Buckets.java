package dev.inferwatch.core;

/** Classic histogram bucket bounds from shared/METRICS.md, one place for every family. */
final class Buckets {

  /** OTel's stable HTTP list plus 30 s and 60 s for streams. */
  static final double[] HTTP_SECONDS = {
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60
  };

  /** Provider response times: the gen_ai client operation duration list, doubling from 10 ms. */
  static final double[] PROVIDER_SECONDS = {
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
  };

  /** Instances per prediction request: powers of two up to 1024. */
  static final double[] BATCH_SIZE = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private Buckets() {}
}
