/// A filterable column as small integer codes, one per row (an enumeration's case index, or an interned
/// string), with the rows of each code, so a filter on it is a set lookup rather than a scan.
struct CodeColumn: Sendable {
    /// The code of rows without a value (a null number).
    static let noCode = UInt32.max

    /// Each row's code.
    let codes: [UInt32]
    /// The rows of each code.
    let postings: PostingTable
    /// The code of each string value (empty for enumeration columns, whose code is the case index).
    let codeOfValue: [String: UInt32]

    /// An enumeration column: code = index of the row's case in `allCases`.
    init<Value: CallEnumeration>(rowCount: Int, values: [Value]) {
        let cases = Array(Value.allCases)
        let codes = values.map { value in UInt32(truncatingIfNeeded: cases.firstIndex(of: value) ?? 0) }
        self.codes = codes
        postings = PostingTable(rowCount: rowCount, keyCount: cases.count, keyOfRow: codes, noKey: Self.noCode)
        codeOfValue = [:]
    }

    /// A string column, interning each distinct value; nil values get no code.
    init(rowCount: Int, strings: [String?]) {
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
        self.codes = codes
        postings = PostingTable(rowCount: rowCount, keyCount: codeOfValue.count, keyOfRow: codes, noKey: Self.noCode)
        self.codeOfValue = codeOfValue
    }

    /// The codes of the given string values that occur (values no row has are left out).
    func codes(of values: [String]) -> [UInt32] {
        var result: [UInt32] = []
        for value in values {
            if let code = codeOfValue[value], !result.contains(code) { result.append(code) }
        }
        return result
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
