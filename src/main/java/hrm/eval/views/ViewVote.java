package hrm.eval.views;

/**
 * The answers of one test example's views (every view of every ensemble member), already mapped
 * back onto the original puzzle, and the rules that choose one:
 * <ul>
 * <li>{@link #vote}: the most frequent answer (whole-grid equality); ties go to the answer whose
 * votes have the higher mean sigmoid(q_halt), as the authors' ARC vote ranks by the model's own
 * confidence; then to the answer seen first (the identity's).</li>
 * <li>{@link #verified}: the answer ranked highest by the same order among those that pass the
 * puzzle's own check; the vote when none passes. It needs no label.</li>
 * <li>{@link #anyEquals}: whether any view's answer equals the label (the oracle: an upper bound
 * only, since it looks at the label).</li>
 * </ul>
 * One instance is reused for example after example ({@link #clear}); it allocates nothing after
 * construction.
 */
public final class ViewVote {
    private final int seqLen;
    private final int[] answers;   // distinct answers, seqLen each, in order of first appearance
    private final int[] votes;
    private final double[] confidence; // sum of sigmoid(q_halt) over an answer's votes
    private int distinct, total;

    /** @param capacity the most answers one example gets (views x members) */
    public ViewVote(int seqLen, int capacity) {
        this.seqLen = seqLen;
        this.answers = new int[seqLen * capacity];
        this.votes = new int[capacity];
        this.confidence = new double[capacity];
    }

    public void clear() {
        distinct = 0;
        total = 0;
    }

    /** One view's mapped-back answer at {@code answer[off..]} with its q_halt logit. */
    public void add(int[] answer, int off, float qHalt) {
        if (total == votes.length) throw new IllegalStateException("more than " + votes.length + " answers for one example");
        total++;
        double p = 1.0 / (1.0 + Math.exp(-qHalt));
        for (int i = 0; i < distinct; i++)
            if (java.util.Arrays.equals(answers, i * seqLen, (i + 1) * seqLen, answer, off, off + seqLen)) {
                votes[i]++;
                confidence[i] += p;
                return;
            }
        System.arraycopy(answer, off, answers, distinct * seqLen, seqLen);
        votes[distinct] = 1;
        confidence[distinct] = p;
        distinct++;
    }

    /** Answers added since {@link #clear}. */
    public int total() {
        return total;
    }

    /** Distinct answers. */
    public int distinct() {
        return distinct;
    }

    /** Votes of distinct answer {@code i}. */
    public int votes(int i) {
        return votes[i];
    }

    /** Mean sigmoid(q_halt) of distinct answer {@code i}'s votes. */
    public double meanConfidence(int i) {
        return confidence[i] / votes[i];
    }

    /** Copies distinct answer {@code i} into {@code dst[off..]}. */
    public void answer(int i, int[] dst, int off) {
        System.arraycopy(answers, i * seqLen, dst, off, seqLen);
    }

    /** The index of the voted answer. */
    public int vote() {
        return best(null, null, 0);
    }

    /** The index of the highest-ranked answer that passes {@code check} on the puzzle at {@code input[inOff..]}; else {@link #vote}. */
    public int verified(AnswerCheck check, int[] input, int inOff) {
        int i = best(check, input, inOff);
        return i >= 0 ? i : vote();
    }

    /** Whether distinct answer {@code i} passes the check. */
    public boolean passes(int i, AnswerCheck check, int[] input, int inOff) {
        return check.valid(input, inOff, answers, i * seqLen);
    }

    /** Whether distinct answer {@code i} equals the label at {@code label[off..]} on every cell the label counts (not -100). */
    public boolean matches(int i, int[] label, int off) {
        for (int s = 0; s < seqLen; s++) {
            int l = label[off + s];
            if (l != IGNORE && answers[i * seqLen + s] != l) return false;
        }
        return true;
    }

    /** The oracle: whether any answer equals the label. */
    public boolean anyEquals(int[] label, int off) {
        for (int i = 0; i < distinct; i++) if (matches(i, label, off)) return true;
        return false;
    }

    private static final int IGNORE = -100;

    /** Most votes, then higher mean confidence, then first seen; among those passing check when check is given; -1 if none. */
    private int best(AnswerCheck check, int[] input, int inOff) {
        int best = -1;
        for (int i = 0; i < distinct; i++) {
            if (check != null && !passes(i, check, input, inOff)) continue;
            if (best < 0 || votes[i] > votes[best] || (votes[i] == votes[best] && meanConfidence(i) > meanConfidence(best))) best = i;
        }
        return best;
    }
}
