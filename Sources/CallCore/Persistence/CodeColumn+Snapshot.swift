extension CodeColumn {
    /// Writes a string column: each row's code and the values in code order (its postings are rebuilt on load).
    func writeStrings(to writer: inout SnapshotSectionWriter) throws(JournalError) {
        var values = [String](repeating: "", count: codeOfValue.count)
        for (value, code) in codeOfValue { values[Int(code)] = value }
        try writer.put(.codes, codes)
        try SnapshotStrings.write(values, to: &writer)
    }

    /// The string column `writeStrings` wrote, for `rowCount` rows; every code must name a value (or none).
    convenience init(snapshotStrings cursor: inout SnapshotCursor, rowCount: Int) throws(StoreSnapshotError) {
        let codes = try cursor.words32(.codes)
        let values = try SnapshotStrings.read(&cursor)
        guard codes.count == rowCount else { throw cursor.corrupt("column has \(codes.count) rows, not \(rowCount)") }
        var codeOfValue: [String: UInt32] = [:]
        codeOfValue.reserveCapacity(values.count)
        for (code, value) in values.enumerated() {
            guard codeOfValue.updateValue(UInt32(truncatingIfNeeded: code), forKey: value) == nil else {
                throw cursor.corrupt("column value repeated")
            }
        }
        guard codes.allSatisfy({ $0 == Self.noCode || Int($0) < values.count }) else {
            throw cursor.corrupt("column code out of range")
        }
        self.init(rowCount: rowCount, codes: codes, keyCount: values.count, codeOfValue: codeOfValue)
    }
}
