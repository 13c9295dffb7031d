import CallCore
import Testing

@Suite("TranscriptQuery: terms, prefixes and phrases")
struct TranscriptQueryTests {
    private func matches(_ query: String, _ transcript: String) -> Bool {
        guard let parsed = TranscriptQuery(query) else { return true }
        return parsed.matches(words: TextNormalizer.foldedWords(in: transcript))
    }

    @Test func everyTermMustOccurInAnyOrder() {
        #expect(matches("help support", "Support said: we help."))
        #expect(!matches("help support", "we help"))
    }

    @Test func termsMatchWholeWordsOnly() {
        #expect(!matches("help", "helpful helper"))
        #expect(matches("help", "help-desk"))
    }

    @Test func matchingIgnoresCaseAndDiacritics() {
        #expect(matches("cafe", "Meet me at the Café"))
        #expect(matches("CAFÉ", "cafe"))
        #expect(matches("naïve", "NAIVE"))
    }

    @Test func trailingStarMakesAPrefixTerm() {
        #expect(matches("refund*", "I want refunds"))
        #expect(matches("refund*", "refund"))
        #expect(!matches("refund*", "prerefund"))
        #expect(!matches("refunds*", "refund"))
        #expect(matches("réf*", "REFUNDED"))
    }

    @Test func starMustFollowTheWordImmediately() {
        // "refund *" is the plain word refund; the lone star is nothing.
        #expect(!matches("refund *", "refunds"))
        #expect(TranscriptQuery("refund *")?.phrases == [[.init(word: "refund")]])
    }

    @Test func quotedPartIsAPhraseOfConsecutiveWordsInOrder() {
        #expect(matches(#""credit card""#, "my Credit-Card was charged"))
        #expect(!matches(#""credit card""#, "card credit"))
        #expect(!matches(#""credit card""#, "credit my card"))
        #expect(matches(#""credit card" declined"#, "declined: credit card"))
    }

    @Test func phraseMayContainPrefixTerms() {
        #expect(matches(#""cred* card""#, "credentials card"))
        #expect(!matches(#""cred* card""#, "credentials, my card"))
        #expect(matches(#""cred* card""#, "credentials, card"))
    }

    @Test func unterminatedQuoteRunsToTheEnd() {
        let query = TranscriptQuery(#"refund "credit card"#)
        #expect(query?.phrases == [[.init(word: "refund")], [.init(word: "credit"), .init(word: "card")]])
        #expect(matches(#"refund "credit card"#, "credit card refund"))
        #expect(!matches(#"refund "credit card"#, "card credit refund"))
    }

    @Test func phraseWithOneWordIsAPlainTerm() {
        #expect(TranscriptQuery(#""help""#)?.phrases == [[.init(word: "help")]])
    }

    @Test func emptyQuotesAndPunctuationAddNothing() {
        #expect(TranscriptQuery(#"help "" !"#)?.phrases == [[.init(word: "help")]])
    }

    @Test func queryWithoutWordsIsNoSearch() {
        #expect(TranscriptQuery("") == nil)
        #expect(TranscriptQuery("  \"\" * -- ?! ") == nil)
        #expect(TranscriptQuery("😀") == nil)
    }

    @Test func punctuationInsideTheQuerySplitsWords() {
        #expect(TranscriptQuery("e-mail")?.phrases == [[.init(word: "e")], [.init(word: "mail")]])
        #expect(matches("e-mail", "send an e mail"))
    }

    @Test func digitsAreWords() {
        #expect(matches("order 42", "Order #42 is late"))
        #expect(!matches("42", "order 420"))
        #expect(matches("42*", "order 420"))
    }

    @Test func keepsTheTrimmedTextForAppliedFilters() {
        #expect(TranscriptQuery("  \"credit card\" refund*  ")?.text == "\"credit card\" refund*")
    }
}
