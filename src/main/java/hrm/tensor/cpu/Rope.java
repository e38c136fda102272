package hrm.tensor.cpu;

/**
 * Rotary position embedding on the q and k parts of qkv rows, halves layout:
 * [x1, x2] -> [x1 cos - x2 sin, x2 cos + x1 sin]. The inverse (sin negated) is also the backward.
 */
final class Rope {
    private Rope() {}

    static void apply(float[] qkv, int off, float[] cos, int co, float[] sin, int sio, int from, int to,
                      int tokens, int heads, int headDim, boolean inverse) {
        int half = headDim / 2;
        int width = 3 * heads * headDim;
        float sign = inverse ? -1f : 1f;
        for (int row = from; row < to; row++) {
            int t = row % tokens;
            int tb = t * headDim;
            for (int part = 0; part < 2 * heads; part++) { // q heads then k heads
                int base = off + row * width + part * headDim;
                for (int j = 0; j < half; j++) {
                    float x1 = qkv[base + j], x2 = qkv[base + j + half];
                    float s1 = sign * sin[sio + tb + j], s2 = sign * sin[sio + tb + j + half];
                    qkv[base + j] = x1 * cos[co + tb + j] - x2 * s1;
                    qkv[base + j + half] = x2 * cos[co + tb + j + half] + x1 * s2;
                }
            }
        }
    }
}
