package hrm.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One split's {@code dataset.json} (docs/model.md §10.1), with the reference's key names. */
public record DatasetMetadata(
        @JsonProperty(value = "pad_id", required = true) int padId,
        @JsonProperty(value = "ignore_label_id") Integer ignoreLabelId,
        @JsonProperty(value = "blank_identifier_id", required = true) int blankIdentifierId,
        @JsonProperty(value = "vocab_size", required = true) int vocabSize,
        @JsonProperty(value = "seq_len", required = true) int seqLen,
        @JsonProperty(value = "num_puzzle_identifiers", required = true) int numPuzzleIdentifiers,
        @JsonProperty(value = "total_groups", required = true) int totalGroups,
        @JsonProperty(value = "mean_puzzle_examples", required = true) double meanPuzzleExamples,
        @JsonProperty(value = "sets", required = true) List<String> sets) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT); // vocab_size: 11.7 is an error, not 11

    public DatasetMetadata {
        sets = List.copyOf(sets);
    }

    public static DatasetMetadata read(Path file) {
        if (!Files.isRegularFile(file)) throw new DatasetException(file, "missing (not a dataset split directory?)");
        DatasetMetadata m;
        try {
            m = JSON.readValue(file.toFile(), DatasetMetadata.class);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String field = e.getPath().stream().map(com.fasterxml.jackson.databind.JsonMappingException.Reference::getFieldName)
                    .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining("."));
            throw new DatasetException(file, "bad dataset.json" + (field.isEmpty() ? "" : ", field '" + field + "'") + ": " + e.getOriginalMessage(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DatasetException(file, "bad dataset.json: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DatasetException(file, "unreadable: " + hrm.io.ErrorText.of(e), e);
        }
        m.validate(file);
        return m;
    }

    private void validate(Path file) {
        if (vocabSize < 2) throw new DatasetException(file, "vocab_size must be at least 2, got " + vocabSize);
        if (seqLen < 1) throw new DatasetException(file, "seq_len must be positive, got " + seqLen);
        if (padId < 0 || padId >= vocabSize) throw new DatasetException(file, "pad_id " + padId + " outside the vocabulary 0.." + (vocabSize - 1));
        if (numPuzzleIdentifiers < 1) throw new DatasetException(file, "num_puzzle_identifiers must be positive, got " + numPuzzleIdentifiers);
        if (blankIdentifierId < 0 || blankIdentifierId >= numPuzzleIdentifiers)
            throw new DatasetException(file, "blank_identifier_id " + blankIdentifierId + " outside 0.." + (numPuzzleIdentifiers - 1));
        if (sets.isEmpty()) throw new DatasetException(file, "sets is empty");
        for (String s : sets)
            if (s.isEmpty() || s.contains("/") || s.contains("\\")) throw new DatasetException(file, "bad set name '" + s + "'");
        if (new java.util.HashSet<>(sets).size() != sets.size())
            throw new DatasetException(file, "sets " + sets + " names a set twice (its examples would be read twice)");
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
