package dev.eventlog.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.ConfigurationException;
import dev.eventlog.EventKind;
import org.junit.jupiter.api.Test;

/**
 * The built-in aliases are not checked when they are made (that would derive six kinds' fields at
 * every start): every one of them is checked here, as {@link KeyAliases#with} checks a user's.
 */
class KeyAliasesTest {
    @Test
    void everyBuiltInAliasStandsForAFieldOfItsKindAndIsNoKeyALineIsReadByFirst() {
        assertThatCode(() -> KeyAliases.builtIn().checkEvery()).doesNotThrowAnyException();
    }

    @Test
    void builtInAliasesNameTheirFields() {
        KeyAliases aliases = KeyAliases.builtIn();
        assertThat(aliases.fieldFor(EventKind.GIT, "commit")).isEqualTo("commit_hash");
        assertThat(aliases.fieldFor(EventKind.TOOL_USE, "tool")).isEqualTo("tool_name");
        assertThat(aliases.fieldFor(EventKind.RECOVERY, "type")).isEqualTo("error_type");
        assertThat(aliases.fieldFor(EventKind.TOOL_USE, "commit")).isNull();
    }

    @Test
    void checkingRefusesAnAliasOfAFieldTheKindDoesNotHave() {
        assertThatThrownBy(() -> KeyAliases.builtIn().with(EventKind.GIT, "tool", "tool_name"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("tool_name");
        assertThatThrownBy(() -> KeyAliases.builtIn().with(EventKind.GIT, "repo", "message"))
                .isInstanceOf(ConfigurationException.class);
    }
}
