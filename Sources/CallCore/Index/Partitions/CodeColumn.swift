/// A filterable column as small integer codes, one per row (an enumeration's case index, or an interned
/// string), with the rows of each code, so a filter on it is a set lookup rather than a scan. A class, so a
/// criterion that refers to a column shares it instead of copying its arrays.
final class CodeColumn: Sendable {
    /// The code of rows without a value (a null number).
    static let noCode = UInt32.max

    /// Each row's code.
    let codes: [UInt32]
    /// The rows of each code.
    let postings: PostingTable
    /// The code of each string value (empty for enumeration columns, whose code is the case index).
    let codeOfValue: [String: UInt32]

    /// A column from its codes and the code of each string value (none for an enumeration); builds the postings.
    init(rowCount: Int, codes: [UInt32], keyCount: Int, codeOfValue: [String: UInt32]) {
        self.codes = codes
        postings = PostingTable(rowCount: rowCount, keyCount: keyCount, keyOfRow: codes, noKey: Self.noCode)
        self.codeOfValue = codeOfValue
    }

    /// An enumeration column: code = index of the row's case in `allCases`.
    convenience init<Value: CallEnumeration>(rowCount: Int, values: [Value]) {
        let cases = Array(Value.allCases)
        let codes = values.map { value in UInt32(truncatingIfNeeded: cases.firstIndex(of: value) ?? 0) }
        self.init(rowCount: rowCount, codes: codes, keyCount: cases.count, codeOfValue: [:])
    }

    /// A string column, interning each distinct value; nil values get no code.
    convenience init(rowCount: Int, strings: [String?]) {
        var codeOfValue: [String: UInt32] = [:]
        var codes = [UInt32](repeating: Self.noCode, count: strings.count)
        for (row, value) in strings.enumerated() {
            guard let value else { continue }
            if let code = codeOfValue[value] {
                codes[row] = code
            } else {
                let code = UInt32(truncatingIfNeeded: codeOfValue.count)
                codeOfValue[value] = code
                codes[row] = code
            }
        }
        self.init(rowCount: rowCount, codes: codes, keyCount: codeOfValue.count, codeOfValue: codeOfValue)
    }

    /// The codes of the given string values that occur (values no row has are left out).
    func codes(of values: [String]) -> [UInt32] {
        var result: [UInt32] = []
        for value in values {
            if let code = codeOfValue[value] { result.append(code) }
        }
        // Without a scan of what was kept per value: a list may hold 1,000 values.
        return result.uniquedInOrder()
    }

    /// The codes of the given enumeration values.
    static func codes<Value: CallEnumeration>(of values: [Value]) -> [UInt32] {
        let cases = Array(Value.allCases)
        var result: [UInt32] = []
        for value in values {
            if let index = cases.firstIndex(of: value), !result.contains(UInt32(index)) { result.append(UInt32(index)) }
        }
        return result
    }

    /// Approximate heap bytes, for reports.
    var byteCount: Int { codes.count * 4 + postings.byteCount + codeOfValue.count * 40 }
}
