import CallCore
import Testing

/// A call is a value: its fields are shared between copies, but changing one copy never changes another, and
/// equality compares fields, not storage.
@Suite("Call: value semantics")
struct CallValueTests {
    @Test("changing any field of a copy leaves the original as it was")
    func copiesAreIndependent() {
        let original = TestSupport.call("c-1", status: .ended, transcript: "hello there", metadata: ["k": "v"])
        let edits: [(String, (inout Call) -> Void)] = [
            ("id", { $0.id = "00000000-0000-4000-8000-000000000000" }),
            ("callID", { $0.callID = "c-2" }),
            ("agentID", { $0.agentID = "agent-2" }),
            ("organizationID", { $0.organizationID = "org-2" }),
            ("status", { $0.status = .error }),
            ("type", { $0.type = .webCall }),
            ("direction", { $0.direction = .outbound }),
            ("fromNumber", { $0.fromNumber = nil }),
            ("toNumber", { $0.toNumber = "+15550000009" }),
            ("startTimestamp", { $0.startTimestamp = 7 }),
            ("endTimestamp", { $0.endTimestamp = 999_999 }),
            ("transcript", { $0.transcript = "changed" }),
            ("metadata", { $0.metadata["k"] = "w" }),
        ]
        for (name, edit) in edits {
            let before = original
            var copy = original
            edit(&copy)
            #expect(copy != original, "\(name): the edit shows in the copy")
            #expect(original == before, "\(name): the original is unchanged")
            #expect(original.transcript == "hello there" && original.metadata["k"] == "v" && original.status == .ended)
            var reverted = copy
            edit(&reverted)
            #expect(reverted == copy, "\(name): equal fields compare equal across separate storage")
        }
    }

    @Test("calls built separately with the same fields are equal")
    func equalityIsByFields() {
        #expect(TestSupport.call("c-1", transcript: "a") == TestSupport.call("c-1", transcript: "a"))
        #expect(TestSupport.call("c-1", transcript: "a") != TestSupport.call("c-1", transcript: "b"))
        #expect(TestSupport.call("c-1").duration == 60_000)
    }
}
