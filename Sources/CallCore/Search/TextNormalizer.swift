import Foundation

/// Splits text into search words and folds them (case and diacritics), identically for transcripts and queries.
///
/// A word is a maximal run that starts with a Unicode letter (L*) or number (N*) and continues with letters,
/// numbers and combining marks (M*). Marks continue a word so that decomposed text (`e` + U+0301) and scripts
/// whose vowel signs are marks (Devanagari) stay one word, as in their precomposed or printed form; a mark
/// after a separator starts nothing. Everything else separates words.
public enum TextNormalizer {
    /// What a scalar does to word boundaries.
    public enum WordRole: Sendable, Equatable {
        /// A letter or number: starts a word or continues one.
        case letterOrNumber
        /// A combining mark: continues a word already started, separates otherwise.
        case mark
        /// Anything else: separates words.
        case separator
    }

    /// The role of `scalar` in word splitting.
    public static func role(of scalar: Unicode.Scalar) -> WordRole {
        if scalar.isASCII {
            return isASCIIAlphanumeric(UInt8(truncatingIfNeeded: scalar.value)) ? .letterOrNumber : .separator
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return .letterOrNumber
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return .mark
        default:
            return .separator
        }
    }

    /// Whether `scalar` can start a word: its general category is a letter or a number.
    public static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        role(of: scalar) == .letterOrNumber
    }

    /// Whether `scalar` can continue a word already started: a letter, a number or a combining mark.
    public static func continuesWord(_ scalar: Unicode.Scalar) -> Bool {
        role(of: scalar) != .separator
    }

    /// Folds one word for comparison: NFKD, nonspacing marks dropped, lower-cased (and final sigma as sigma).
    /// ASCII words take a fast path; callers folding many words should use a `WordFolder`, which caches the rest.
    public static func fold(_ word: String) -> String {
        foldASCII(word) ?? foldUnicode(word)
    }

    /// The folded words of `text`, in order.
    public static func foldedWords(in text: String) -> [String] {
        var folder = WordFolder()
        var words: [String] = []
        forEachFoldedWord(in: text, folder: &folder) { words.append($0) }
        return words
    }

    /// Calls `body` with each folded word of `text` in order, folding non-ASCII words through `folder`'s cache.
    /// Works on the UTF-8 bytes directly: transcripts are mostly ASCII, and this runs over every stored transcript.
    public static func forEachFoldedWord(in text: String, folder: inout WordFolder, _ body: (String) -> Void) {
        var text = text
        text.withUTF8 { utf8 in
            scanWords(utf8) { range, isASCII in
                emitWord(utf8, range, isASCII: isASCII, folder: &folder, body)
                return true
            }
        }
    }

    /// Calls `body` with the UTF-8 bytes of each folded word of `text` in order (the same words as
    /// `forEachFoldedWord`), without creating a String for ASCII words; `body` returns false to stop early.
    /// The bytes are valid only during the call. For index builds and phrase checks, which see every word.
    static func forEachFoldedWordBytes(
        in text: String, folder: inout WordFolder, _ body: (UnsafeBufferPointer<UInt8>) -> Bool
    ) {
        var text = text
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { scratch in
                scanWords(utf8) { range, isASCII in
                    if isASCII {
                        assert(range.count <= scratch.count, "scratch has room for any word of the text")
                        for (offset, position) in range.enumerated() { scratch[offset] = lowercasedASCII(utf8[position]) }
                        return body(UnsafeBufferPointer(rebasing: scratch[0..<range.count]))
                    }
                    guard var folded = foldedWord(utf8, range, folder: &folder) else { return true }
                    return folded.withUTF8 { body($0) }
                }
            }
        }
    }

    /// The words of `text` as the index build wants them: all-ASCII words as their raw bytes (letters and digits
    /// only, so `byte | 0x20` lower-cases them), other words folded (`folder`'s cache) as UTF-8 bytes. The
    /// same words as `forEachFoldedWord`; bytes are valid only during each call.
    static func forEachWord<Visitor: WordVisitor>(in text: String, folder: inout WordFolder, visitor: inout Visitor) {
        var text = text
        text.withUTF8 { utf8 in
            scanWords(utf8) { range, isASCII in
                if isASCII {
                    visitor.ascii(UnsafeBufferPointer(rebasing: utf8[range]))
                } else {
                    if var word = foldedWord(utf8, range, folder: &folder) { word.withUTF8 { visitor.folded($0) } }
                }
                return true
            }
        }
    }

    /// Finds the words of UTF-8 text: calls `onWord` with each word's byte range and whether it is all ASCII,
    /// until it returns false.
    private static func scanWords(_ utf8: UnsafeBufferPointer<UInt8>, _ onWord: (Range<Int>, Bool) -> Bool) {
        var position = 0
        var wordStart = -1
        var wordIsASCII = true
        let count = utf8.count
        while position < count {
            let lead = utf8[position]
            if lead < 0x80 {
                // ASCII, the common case: a letter or digit starts or continues a word, anything else ends it.
                if isASCIIAlphanumeric(lead) {
                    if wordStart < 0 {
                        wordStart = position
                        wordIsASCII = true
                    }
                } else if wordStart >= 0 {
                    if !onWord(wordStart..<position, wordIsASCII) { return }
                    wordStart = -1
                }
                position += 1
                continue
            }
            let (scalar, length) = decodeScalar(utf8, at: position)
            let scalarRole = role(of: scalar)
            if wordStart >= 0, scalarRole != .separator {
                wordIsASCII = false
            } else {
                if wordStart >= 0 {
                    if !onWord(wordStart..<position, wordIsASCII) { return }
                    wordStart = -1
                }
                // A scalar that cannot continue a word cannot start one either; only a fresh start begins a word here.
                if scalarRole == .letterOrNumber {
                    wordStart = position
                    wordIsASCII = false
                }
            }
            position += length
        }
        if wordStart >= 0 {
            _ = onWord(wordStart..<count, wordIsASCII)
        }
    }

    /// Removes leading and trailing Unicode white space.
    public static func trimmingWhitespace(_ text: String) -> String {
        // Most queries start and end with a visible ASCII character: nothing to trim, no property lookups.
        if let first = text.utf8.first, let last = text.utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return text
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    // MARK: - Internals

    private static func emitWord(
        _ utf8: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, isASCII: Bool,
        folder: inout WordFolder, _ body: (String) -> Void
    ) {
        if isASCII {
            body(lowercasedASCII(UnsafeBufferPointer(rebasing: utf8[range])))
        } else if let folded = foldedWord(utf8, range, folder: &folder) {
            body(folded)
        }
    }

    /// The folded form of a non-ASCII word (`folder`'s cache), or nil when every scalar folds away: such a
    /// word is no word, on both the transcript and the query side.
    private static func foldedWord(_ utf8: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, folder: inout WordFolder) -> String? {
        let folded = folder.fold(String(decoding: UnsafeBufferPointer(rebasing: utf8[range]), as: UTF8.self))
        return folded.isEmpty ? nil : folded
    }

    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        // One bit per ASCII byte: digits in the low word, letters of both cases in the high word.
        let digits: UInt64 = 0x03FF_0000_0000_0000
        let letters: UInt64 = 0x07FF_FFFE_07FF_FFFE
        guard byte < 0x80 else { return false }
        return ((byte < 64 ? digits : letters) >> UInt64(byte & 63)) & 1 != 0
    }

    /// Decodes the scalar at `position` of well-formed UTF-8 (a String's storage) and its length in bytes.
    private static func decodeScalar(_ utf8: UnsafeBufferPointer<UInt8>, at position: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(utf8[position])
        // Continuation bytes are read without a check against the end: a String's storage is well-formed UTF-8.
        assert(lead >= 0xC0 && lead < 0xF8, "a scalar's lead byte of two to four bytes")
        assert(position + (lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4) <= utf8.count, "well-formed UTF-8 holds the scalar's every byte")
        let value: UInt32
        let length: Int
        if lead < 0xE0 {
            length = 2
            value = (lead & 0x1F) << 6 | UInt32(utf8[position + 1] & 0x3F)
        } else if lead < 0xF0 {
            length = 3
            value = (lead & 0x0F) << 12 | UInt32(utf8[position + 1] & 0x3F) << 6 | UInt32(utf8[position + 2] & 0x3F)
        } else {
            length = 4
            value = (lead & 0x07) << 18 | UInt32(utf8[position + 1] & 0x3F) << 12
                | UInt32(utf8[position + 2] & 0x3F) << 6 | UInt32(utf8[position + 3] & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// `byte` lower-cased when it is an ASCII capital, else unchanged.
    @inline(__always)
    static func lowercasedASCII(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
    }

    /// Lower-cases ASCII bytes into a new String (NFKD and mark removal are the identity on ASCII letters and digits).
    static func lowercasedASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            assert(buffer.count >= bytes.count, "room for every byte")
            for position in 0..<bytes.count { buffer[position] = lowercasedASCII(bytes[position]) }
            return bytes.count
        }
    }

    /// The ASCII fast path of `fold`, or nil when `word` is not all ASCII.
    static func foldASCII(_ word: String) -> String? {
        var word = word
        return word.withUTF8 { utf8 -> String? in
            guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            return lowercasedASCII(utf8)
        }
    }

    /// The full Unicode fold; Foundation does the NFKD decomposition.
    static func foldUnicode(_ word: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in word.decomposedStringWithCompatibilityMapping.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            kept.append(scalar)
        }
        var result = String.UnicodeScalarView()
        for scalar in String(kept).lowercased().unicodeScalars {
            // Lower-casing maps Σ to σ regardless of position, so a typed final ς must meet it there.
            result.append(scalar == "\u{03C2}" ? "\u{03C3}" : scalar)
        }
        return String(result)
    }
}
