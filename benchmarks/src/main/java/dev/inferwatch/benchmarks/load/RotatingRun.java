package dev.inferwatch.benchmarks.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Interleaved rounds over several servers under test ("arms"): warm-up, then each round drives
 * every arm once, in an order that rotates from round to round, so that drift and bursts from other
 * processes hit all arms alike. Each arm's figure is its median round.
 *
 * <pre>{@code
 * RotatingRun run = new RotatingRun(20, 2_000, 6_000);
 * RotatingRun.Arm bare = run.arm("withoutFilter", LoadGenerator.get(port, "/hello", 4));
 * run.execute();
 * double rps = bare.median(LoadGenerator.Result::requestsPerSecond);
 * }</pre>
 */
public final class RotatingRun {

  private final int rounds;
  private final long roundMillis;
  private final long warmupMillis;
  private final List<Arm> arms = new ArrayList<>();
  private final List<Map<String, Object>> perRound = new ArrayList<>();

  /** {@code rounds} rounds of {@code roundMillis} per arm after {@code warmupMillis} per arm. */
  public RotatingRun(int rounds, long roundMillis, long warmupMillis) {
    this.rounds = rounds;
    this.roundMillis = roundMillis;
    this.warmupMillis = warmupMillis;
  }

  /**
   * A run configured by {@code -rounds}, {@code -round-ms} and {@code -warmup-ms} in {@code
   * options}, each defaulting to the value given here.
   */
  public static RotatingRun of(
      Map<String, String> options, int rounds, long roundMillis, long warmupMillis) {
    return new RotatingRun(
        Integer.parseInt(options.getOrDefault("rounds", Integer.toString(rounds))),
        Long.parseLong(options.getOrDefault("round-ms", Long.toString(roundMillis))),
        Long.parseLong(options.getOrDefault("warmup-ms", Long.toString(warmupMillis))));
  }

  /** Adds an arm driven by {@code load}. */
  public Arm arm(String name, LoadGenerator load) {
    Arm arm = new Arm(name, load);
    arms.add(arm);
    return arm;
  }

  /** Warms every arm up in 1 s slices, then runs the rounds; prints each round's req/s. */
  public void execute() throws InterruptedException {
    for (long left = warmupMillis; left > 0; left -= 1_000) {
      for (Arm arm : arms) {
        arm.load.run(Math.min(left, 1_000));
      }
    }
    for (int round = 0; round < rounds; round++) {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("round", round);
      for (int i = 0; i < arms.size(); i++) {
        Arm arm = arms.get((round + i) % arms.size());
        LoadGenerator.Result result = arm.load.run(roundMillis);
        arm.total.add(result);
        arm.rounds.add(result);
        figures.put(arm.name, Math.round(result.requestsPerSecond()));
      }
      perRound.add(figures);
      System.out.println("round " + figures);
    }
  }

  /** Every round's requests per second by arm, for the record. */
  public List<Map<String, Object>> perRound() {
    return perRound;
  }

  /** One server under test and what the load generator saw of it. */
  public static final class Arm {
    private final String name;
    private final LoadGenerator load;
    private final LoadGenerator.Result total = new LoadGenerator.Result();
    private final List<LoadGenerator.Result> rounds = new ArrayList<>();

    private Arm(String name, LoadGenerator load) {
      this.name = name;
      this.load = load;
    }

    /** The arm's name, the benchmark name of its rows. */
    public String name() {
      return name;
    }

    /** Every round together. */
    public LoadGenerator.Result total() {
      return total;
    }

    /**
     * The median round of {@code figure}: other processes on a small shared machine slow single
     * rounds by up to 20%, which moves a mean by more than the effects measured here.
     */
    public double median(ToDoubleFunction<LoadGenerator.Result> figure) {
      List<Double> values = new ArrayList<>();
      for (LoadGenerator.Result round : rounds) {
        values.add(figure.applyAsDouble(round));
      }
      return RotatingRun.median(values);
    }
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  public static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
