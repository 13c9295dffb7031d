import CallCore
import Testing

/// Cursor tokens: what one server issues for one list it opens again, and nothing else opens, whatever the bytes.
@Suite struct ListCursorTests {
    private let signer = ListCursorSigner(secret: [UInt8](repeating: 7, count: ListCursorSigner.secretLength))
    private let query = ListQuery(limit: 5, sortBy: .endTimestamp, sortOrder: .ascending, filter: CallFilter(statuses: [.ended]))
    private let keys = [
        OrderKey(value: .integer(1_703_097_600_000), id: "0b4e1a52-54c1-4b4e-9d3a-2f3c5e6a7b8c"),
        OrderKey(value: .integer(-1), id: "a"),
        OrderKey(value: .absent, id: "ffffffff-ffff-ffff-ffff-ffffffffffff"),
        OrderKey(value: .text("call.9:x-1_Z"), id: "1"),
        OrderKey(value: .text(String(repeating: "c", count: 128)), id: ""),
    ]

    private func opened(_ token: String?, _ query: ListQuery, organization: String = "org-a", signer: ListCursorSigner? = nil) -> OrderKey? {
        guard let token, let cursor = ListCursor(token: token) else { return nil }
        return try? (signer ?? self.signer).open(cursor, query: query, organizationID: organization)
    }

    @Test func aTokenOpensToThePositionItWasIssuedFor() {
        for key in keys {
            let token = signer.token(after: key, query: query, organizationID: "org-a")
            #expect(opened(token, query) == key)
            // Opaque and safe in JSON and URLs unescaped.
            #expect(token?.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) } == true)
        }
    }

    @Test func aTokenCarriesItsRowHint() {
        for row in [nil, 0, 41, 1 << 31] {
            var key = keys[0]
            key.baseRow = row
            let token = signer.token(after: key, query: query, organizationID: "org-a")
            #expect(opened(token, query)?.baseRow == row)
        }
    }

    @Test func anotherLimitAndAnEquivalentFilterSpellingKeepTheCursor() {
        let token = signer.token(after: keys[0], query: query, organizationID: "org-a")
        var other = query
        other.limit = 100
        other.filter.statuses = [.ended, .ended]
        #expect(opened(token, other) == keys[0])
    }

    @Test func anotherOrganizationSecretSortOrFilterIsRefused() {
        let token = signer.token(after: keys[0], query: query, organizationID: "org-a")
        #expect(opened(token, query, organization: "org-b") == nil)
        #expect(opened(token, query, signer: ListCursorSigner(secret: [UInt8](repeating: 8, count: 32))) == nil)
        var sorted = query
        sorted.sortBy = .callDuration
        #expect(opened(token, sorted) == nil)
        var ordered = query
        ordered.sortOrder = .descending
        #expect(opened(token, ordered) == nil)
        var filtered = query
        filtered.filter.agentIDs = ["agent-1"]
        #expect(opened(token, filtered) == nil)
        var searched = query
        searched.filter.transcriptSearch = TranscriptQuery("help")
        #expect(opened(token, searched) == nil)
    }

    @Test func everyChangedCharacterIsRefused() throws {
        let token = try #require(signer.token(after: keys[3], query: query, organizationID: "org-a"))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var characters = Array(token.utf8)
        for index in characters.indices {
            let original = characters[index]
            for replacement in [alphabet[0], alphabet[37], alphabet[63]] where replacement != original {
                characters[index] = replacement
                #expect(opened(String(decoding: characters, as: UTF8.self), query) == nil, "position \(index)")
            }
            characters[index] = original
        }
    }

    @Test func hostileTokensAreNotCursors() throws {
        let token = try #require(signer.token(after: keys[0], query: query, organizationID: "org-a"))
        let hostile = [
            "", "A", "AAAA", "====", "not base64!", token + "=", token + "A", String(token.dropLast()), String(token.dropFirst()),
            String(repeating: "A", count: 100_000), "ü" + token, "+" + token, token + "\n", " " + token,
        ]
        for text in hostile {
            #expect(opened(text, query) == nil, "\(text.prefix(40))")
        }
        // Truncations at every length parse as nothing or open as nothing.
        for length in 0..<token.utf8.count {
            #expect(opened(String(token.prefix(length)), query) == nil)
        }
    }
}
