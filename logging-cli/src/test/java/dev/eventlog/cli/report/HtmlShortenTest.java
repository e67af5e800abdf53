package dev.eventlog.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Chart labels are shortened between the characters a reader sees, never inside one. */
class HtmlShortenTest {
    private static final String FAMILY = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
    private static final String THUMBS_UP_MEDIUM = "\uD83D\uDC4D\uD83C\uDFFD";
    private static final String FLAG_DE = "\uD83C\uDDE9\uD83C\uDDEA";
    private static final String E_ACUTE = "e\u0301";

    @Test
    void aLabelOfEmojiIsCutBetweenWholeEmojiWithAnEllipsis() {
        String label = "deploy " + FAMILY + FAMILY + THUMBS_UP_MEDIUM + FLAG_DE + E_ACUTE + " done";

        for (int max = 2; max <= 16; max++) {
            String shortened = Html.shorten(label, max);
            String kept = shortened.substring(0, shortened.length() - 1);
            System.out.printf("max %2d -> %s%n", max, shortened);
            assertThat(shortened).endsWith("…");
            assertThat(label).startsWith(kept);
            // The next character of the label starts a new grapheme: no half emoji, no dangling joiner.
            String rest = label.substring(kept.length());
            assertThat(rest).doesNotStartWith("\u200D").doesNotStartWith("\uDC68").doesNotStartWith("\uD83C\uDFFD")
                    .doesNotStartWith("\uD83C\uDDEA").doesNotStartWith("\u0301").doesNotStartWith("\uDC67");
            assertThat(kept).doesNotEndWith("\u200D");
            assertThat(Character.isHighSurrogate(kept.isEmpty() ? 'x' : kept.charAt(kept.length() - 1))).isFalse();
            assertThat(new String(shortened.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                    .isEqualTo(shortened);
        }
        assertThat(Html.shorten(label, 9)).isEqualTo("deploy " + FAMILY + "…");
        assertThat(Html.shorten(label, 12)).isEqualTo("deploy " + FAMILY + FAMILY + THUMBS_UP_MEDIUM + FLAG_DE + "…");
    }

    @Test
    void aLabelThatFitsInGraphemesIsKeptWholeEvenWhenItHasMoreCharsThanTheLimit() {
        String label = FAMILY + FAMILY + FAMILY;

        assertThat(label.length()).isGreaterThan(3);
        assertThat(Html.shorten(label, 3)).isEqualTo(label);
        assertThat(Html.shorten(label, 2)).isEqualTo(FAMILY + "…");
        assertThat(Html.shorten("plain text", 24)).isEqualTo("plain text");
        assertThat(Html.shorten("abcdefghij", 5)).isEqualTo("abcd…");
    }
}
