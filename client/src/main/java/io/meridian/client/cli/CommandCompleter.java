package io.meridian.client.cli;

import java.util.List;
import java.util.Locale;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the interactive shell: command names for the first word of a statement,
 * then the keywords of that command ({@link CommandGrammar.Verb#keywords()}). Keys are not
 * completed: that would read the database on every Tab. Stateless.
 */
final class CommandCompleter implements Completer {

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        for (String choice : choices(line.words().subList(0, line.wordIndex()))) {
            candidates.add(new Candidate(choice));
        }
    }

    /**
     * The completions offered for the word at the cursor.
     *
     * @param wordsBefore the words of the line before the cursor's word
     * @return the completions, before JLine filters them by the prefix typed
     */
    static List<String> choices(List<String> wordsBefore) {
        // Complete within the statement the cursor is in: the words after the last ';'.
        int statementStart = 0;
        for (int i = 0; i < wordsBefore.size(); i++) {
            if (wordsBefore.get(i).endsWith(";")) {
                statementStart = i + 1;
            }
        }
        List<String> statement = wordsBefore.subList(statementStart, wordsBefore.size());
        if (statement.isEmpty()) {
            return CommandGrammar.commandNames();
        }
        return CommandGrammar.verb(statement.get(0).toLowerCase(Locale.ROOT))
                .map(CommandGrammar.Verb::keywords).orElse(List.of());
    }
}
