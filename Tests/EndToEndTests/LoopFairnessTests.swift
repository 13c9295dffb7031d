import Foundation
import Testing

/// A list query that has to verify a phrase in every candidate transcript is slow; it must not hold up
/// the other connections of the event loop it arrived on.
@Suite struct LoopFairnessTests {
    /// The phrase's quotes escaped as `\"` and as `\u0022`: both must be noticed before the body is decoded.
    @Test(arguments: [
        #"{"limit":5,"filter_criteria":{"transcript_search":"\"thank you for calling\""}}"#,
        #"{"limit":5,"filter_criteria":{"transcript_search":"\u0022thank you for calling\u0022"}}"#,
    ])
    func slowPhraseSearchesDoNotHoldUpOtherConnectionsOnTheSameLoop(phrase: String) throws {
        let directory = try ServerProcess.makeDirectory()
        // One event loop, so both connections are certainly served by the same one.
        let server = try ServerProcess(directory: directory, arguments: ["--demo", "10000", "--threads", "1", "--quiet"])
        let key = try #require(server.banner.firstMatch(of: /X-API-KEY: (ck_[0-9a-f]+)/)?.1)
        let secret = try #require(server.banner.firstMatch(of: /X-API-SECRET: (cs_[0-9a-f]+)/)?.1)
        let credential = Credential(key: String(key), secret: String(secret))

        // Several phrase searches of common words, pipelined on one connection: each verifies positions
        // in thousands of transcripts, and their answers must come back in order.
        let slow = try RawConnection(port: server.port)
        let searches = 8
        slow.send(String(repeating: listRequest(phrase, credential: credential), count: searches))

        // Meanwhile another connection is answered at once, not after the searches.
        let quick = try RawConnection(port: server.port)
        quick.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(quick.readResponse()?.status == 200)
        let answeredSoFar = countResponsesAvailable(on: slow)
        #expect(answeredSoFar < searches, "all \(searches) searches were answered before a health check")

        for index in 0..<searches {
            let response = slow.readResponse()
            #expect(response?.status == 200, "search \(index)")
            let total = (response?.json?["data"] as? [String: Any]).flatMap { ($0["pagination"] as? [String: Any])?["total_count"] as? Int }
            #expect((total ?? 0) > 0, "search \(index)")
        }
        #expect(server.stop() == 0)
    }

    /// How many response status lines have arrived on `connection` so far, without waiting and without
    /// consuming them (peeked).
    private func countResponsesAvailable(on connection: RawConnection) -> Int {
        var bytes = [UInt8](repeating: 0, count: 1 << 20)
        let count = bytes.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, Int32(MSG_PEEK | MSG_DONTWAIT)) }
        guard count > 0 else { return 0 }
        return String(decoding: bytes[0..<count], as: UTF8.self).components(separatedBy: "HTTP/1.1 ").count - 1
    }
}
