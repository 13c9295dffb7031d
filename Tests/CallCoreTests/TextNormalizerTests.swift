import CallCore
import Foundation
import Testing

@Suite("TextNormalizer: words and folding")
struct TextNormalizerTests {
    @Test func splitsOnEverythingButLettersAndDigits() {
        #expect(TextNormalizer.foldedWords(in: "Hello, world! It's 9:30-ish; e-mail me@x.io") ==
            ["hello", "world", "it", "s", "9", "30", "ish", "e", "mail", "me", "x", "io"])
    }

    @Test func foldsCase() {
        #expect(TextNormalizer.foldedWords(in: "HELP Help help") == ["help", "help", "help"])
    }

    @Test func foldsDiacritics() {
        #expect(TextNormalizer.foldedWords(in: "Café Crème NAÏVE Ångström") == ["cafe", "creme", "naive", "angstrom"])
    }

    @Test func decomposedAccentsStayInsideTheWord() {
        // "cafe" + U+0301 and "nai" + U+0308 + "ve": the combining marks continue the word.
        #expect(TextNormalizer.foldedWords(in: "cafe\u{301} nai\u{308}ve") == ["cafe", "naive"])
    }

    @Test func compatibilityCharactersFoldToTheirPlainForm() {
        // NFKD: the ligature ﬁ becomes "fi", full-width letters become ASCII.
        #expect(TextNormalizer.foldedWords(in: "ﬁle ＨＥＬＰ") == ["file", "help"])
    }

    @Test func finalSigmaMatchesUpperCaseSigma() {
        #expect(TextNormalizer.foldedWords(in: "ΟΔΟΣ") == TextNormalizer.foldedWords(in: "οδος"))
    }

    @Test func digitsAndNonLatinLettersAreWords() {
        #expect(TextNormalizer.foldedWords(in: "order 12345, 東京 и Москва ٣") == ["order", "12345", "東京", "и", "москва", "٣"])
    }

    @Test func devanagariVowelSignsDoNotSplitWords() {
        #expect(TextNormalizer.foldedWords(in: "नमस्ते दुनिया").count == 2)
    }

    @Test func punctuationSymbolsAndEmojiSeparate() {
        #expect(TextNormalizer.foldedWords(in: "a😀b_c—d€e") == ["a", "b", "c", "d", "e"])
    }

    @Test func leadingCombiningMarkIsNotAWord() {
        #expect(TextNormalizer.foldedWords(in: "\u{301}abc \u{301}") == ["abc"])
    }

    @Test func emptyAndSeparatorOnlyTextHasNoWords() {
        #expect(TextNormalizer.foldedWords(in: "").isEmpty)
        #expect(TextNormalizer.foldedWords(in: " ,.;!? \n\t").isEmpty)
    }

    @Test func foldMatchesTheDefinitionOnNonASCIIWords() {
        // The definition: NFKD, drop nonspacing marks, lower-case (final sigma aside).
        for word in ["Éclair", "Straße", "ÆON", "Øre", "Ǆemal", "İstanbul", "Ｆｕｌｌ", "Ĳssel"] {
            let decomposed = word.decomposedStringWithCompatibilityMapping.unicodeScalars
                .filter { $0.properties.generalCategory != .nonspacingMark }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: decomposed)
            #expect(TextNormalizer.fold(word) == String(view).lowercased(), "\(word)")
        }
    }

    @Test func cachedFolderAgreesWithUncachedFold() {
        var folder = WordFolder()
        for word in ["Café", "café", "CAFÉ", "Zoë", "Café", "hello", "HeLLo"] {
            #expect(folder.fold(word) == TextNormalizer.fold(word))
        }
    }

    @Test func byteLevelSplitterAgreesWithQuerySplitterOnRandomText() {
        // The transcript path works on UTF-8 bytes, the query path on scalars: both must find the same words.
        var generator = TestSupport.SeededGenerator(seed: 99)
        for _ in 0..<500 {
            // Quotes and stars mean something in queries; replace them scalar by scalar (they may carry combining marks).
            var scalars = String.UnicodeScalarView()
            for scalar in TestSupport.randomString(length: 60, using: &generator).unicodeScalars {
                scalars.append(scalar == "\"" || scalar == "*" ? " " : scalar)
            }
            let text = String(scalars)
            // A query keeps each term once, in first-seen order.
            var seen = Set<String>()
            let transcriptWords = TextNormalizer.foldedWords(in: text).filter { seen.insert($0).inserted }
            let queryWords = TranscriptQuery(text)?.phrases.flatMap { $0.map(\.word) } ?? []
            #expect(transcriptWords == queryWords, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func trimsUnicodeWhitespace() {
        #expect(TextNormalizer.trimmingWhitespace("\u{00A0}\n help me \u{3000}") == "help me")
        #expect(TextNormalizer.trimmingWhitespace(" \t ") == "")
    }
}
