package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A text or JSON field of a binary {@code COPY} tuple is its length, then the value exactly as UTF-8. */
class CopyBinaryTest {
    @Test
    void textIsSpelledAsStringGetBytesSpellsIt() {
        List<String> values = new ArrayList<>(List.of("", "a", "plain ascii, as most values are",
                "caf\u00e9 na\u00efve", "\u0141\u00f3d\u017a", "\u65e5\u672c\u8a9e", "emoji \ud83d\ude00 pair",
                "lone high \ud83d end", "lone low \ude00 mid", "\ud83d", "ascii then \u00e9", "\u00e9 then ascii",
                "x".repeat(1000) + "\u20ac" + "y".repeat(300)));
        Random random = new Random(12);
        for (int i = 0; i < 500; i++) {
            char[] chars = new char[random.nextInt(600)];
            for (int j = 0; j < chars.length; j++) {
                int pick = random.nextInt(10);
                chars[j] = (char) (pick < 6 ? 32 + random.nextInt(95) : pick < 8 ? random.nextInt(0x800)
                        : random.nextInt(0x10000));
            }
            values.add(new String(chars));
        }
        CopyBinary out = new CopyBinary(16);
        for (String value : values) {
            out.clear();
            out.text(value);
            assertThat(field(out, 0)).as("text %s", value).isEqualTo(value.getBytes(StandardCharsets.UTF_8));

            out.clear();
            out.json(value);
            byte[] jsonb = field(out, 0);
            assertThat(jsonb[0]).isEqualTo((byte) 1);
            assertThat(Arrays.copyOfRange(jsonb, 1, jsonb.length)).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void fieldsFollowEachOtherInOneTuple() {
        CopyBinary out = new CopyBinary(4);
        out.start(3);
        out.text("\u00e9t\u00e9");
        out.text(null);
        out.text("long ".repeat(200));

        ByteBuffer bytes = ByteBuffer.wrap(out.bytes(), 0, out.length());
        assertThat(bytes.getShort()).isEqualTo((short) 3);
        byte[] first = new byte[bytes.getInt()];
        bytes.get(first);
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("\u00e9t\u00e9");
        assertThat(bytes.getInt()).isEqualTo(-1);
        byte[] third = new byte[bytes.getInt()];
        bytes.get(third);
        assertThat(new String(third, StandardCharsets.UTF_8)).isEqualTo("long ".repeat(200));
        assertThat(bytes.hasRemaining()).isFalse();
    }

    /** The bytes of the field that starts at {@code offset} (its length first). */
    private static byte[] field(CopyBinary out, int offset) {
        ByteBuffer bytes = ByteBuffer.wrap(out.bytes(), offset, out.length() - offset);
        byte[] value = new byte[bytes.getInt()];
        bytes.get(value);
        assertThat(bytes.hasRemaining()).isFalse();
        return value;
    }
}
