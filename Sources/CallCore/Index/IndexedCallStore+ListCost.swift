extension IndexedCallStore {
    /// The expected cost of `query` on `organizationID`'s calls; cheap (about a microsecond per search term).
    public func listCost(_ query: ListQuery, organizationID: String) -> ListCost {
        // 100 transcripts of up to 256 KiB to write.
        guard !query.includeTranscript else { return ListCost(operations: .max) }
        // An organization without calls answers an empty page.
        guard let partition = partitions[organizationID] else { return ListCost(operations: 0) }
        return ListCost(operations: ListCostModel.operations(query, on: partition))
    }
}
