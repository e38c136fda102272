package hrm.model;

import java.util.random.RandomGenerator;

/**
 * The random draws of ACT exploration (docs/model.md §6), injectable so a run can be replayed:
 * per sample a uniform u in [0, 1) and a candidate minimum halting step r in {2..maxSteps}.
 */
public interface Exploration {
    void draw(float[] u, int[] r, int maxSteps);

    /** Draws from a seeded generator. */
    static Exploration seeded(RandomGenerator rng) {
        return (u, r, maxSteps) -> {
            for (int i = 0; i < u.length; i++) {
                u[i] = rng.nextFloat();
                r[i] = 2 + rng.nextInt(Math.max(1, maxSteps - 1));
            }
        };
    }
}
