#include <gtest/gtest.h>

#include "encryption/encrypting_backend.h"
#include "encryption/envelope.h"
#include "state/state_identity.h"
#include "reconcile/state.h"

namespace reconcile::encryption {
namespace {

EncryptionSettings Passphrase(const std::string& passphrase) {
  EncryptionSettings s;
  s.key_provider.kind = KeyProviderSettings::Kind::kPassphrase;
  s.key_provider.passphrase = passphrase;
  s.key_provider.iterations = 100000;
  return s;
}

DocumentBinding Binding(const std::string& workspace = "prod") {
  return {"state", "web", workspace, "lineage-1", 7};
}

const std::string kPlain = "{\"format_version\":1,\"lineage\":\"lineage-1\",\"serial\":7,\"resources\":[],"
                           "\"secret\":\"hunter2-hunter2\"}";

TEST(Envelope, SealsAndOpensWithTheSamePassphrase) {
  // Given a document sealed with a passphrase
  DocumentCipher cipher(Passphrase("correct horse battery staple"));
  std::string sealed;
  ASSERT_FALSE(cipher.Seal(Binding(), kPlain, &sealed).HasErrors());
  // Then it holds no plaintext, is an envelope, and keeps the identity readable
  EXPECT_EQ(sealed.find("hunter2"), std::string::npos);
  EXPECT_TRUE(IsEncryptedDocument(sealed));
  StateIdentity identity;
  ASSERT_TRUE(PeekStateIdentity(sealed, &identity, nullptr));
  EXPECT_EQ(identity.lineage, "lineage-1");
  EXPECT_EQ(identity.serial, 7u);
  State parsed;
  EXPECT_TRUE(ParseState(sealed, &parsed).HasErrors());
  // When opened by another cipher with the same passphrase
  DocumentCipher reader(Passphrase("correct horse battery staple"));
  std::string opened, by;
  Diagnostics diags = reader.Open(Binding(), "the state", sealed, &opened, &by);
  // Then the plaintext comes back
  ASSERT_FALSE(diags.HasErrors()) << diags.items()[0].summary;
  EXPECT_EQ(opened, kPlain);
  EXPECT_EQ(by, "passphrase");
}

TEST(Envelope, TwoSealsOfOneDocumentDiffer) {
  DocumentCipher cipher(Passphrase("correct horse battery staple"));
  std::string a, b;
  ASSERT_FALSE(cipher.Seal(Binding(), kPlain, &a).HasErrors());
  ASSERT_FALSE(cipher.Seal(Binding(), kPlain, &b).HasErrors());
  EXPECT_NE(a, b);
}

TEST(Envelope, AWrongPassphraseNamesTheKeyProvider) {
  DocumentCipher cipher(Passphrase("correct horse battery staple"));
  std::string sealed, opened;
  ASSERT_FALSE(cipher.Seal(Binding(), kPlain, &sealed).HasErrors());
  DocumentCipher wrong(Passphrase("incorrect horse battery staple"));
  Diagnostics diags = wrong.Open(Binding(), "the state", sealed, &opened);
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_EQ(diags.items()[0].summary, "Cannot decrypt the state with key provider passphrase");
  EXPECT_NE(diags.items()[0].detail.find("wrong passphrase"), std::string::npos);
  EXPECT_TRUE(opened.empty());
}

TEST(Envelope, AnotherWorkspaceOrAnEditedHeaderIsRefused) {
  DocumentCipher cipher(Passphrase("correct horse battery staple"));
  std::string sealed, opened;
  ASSERT_FALSE(cipher.Seal(Binding("default"), kPlain, &sealed).HasErrors());
  Diagnostics copied = cipher.Open(Binding("prod"), "the state", sealed, &opened);
  ASSERT_TRUE(copied.HasErrors());
  EXPECT_NE(copied.items()[0].summary.find("sealed for workspace \"default\""), std::string::npos);
  // An edited serial (or workspace) fails authentication
  std::string edited = sealed;
  edited.replace(edited.find("\"serial\":7"), 10, "\"serial\":9");
  Diagnostics tampered = cipher.Open(Binding("default"), "the state", edited, &opened);
  ASSERT_TRUE(tampered.HasErrors());
  EXPECT_NE(tampered.items()[0].detail.find("does not authenticate"), std::string::npos);
}

TEST(Envelope, FallbackOpensWhatTheOldKeySealed) {
  DocumentCipher old_cipher(Passphrase("the old passphrase, 16+"));
  std::string sealed, opened;
  ASSERT_FALSE(old_cipher.Seal(Binding(), kPlain, &sealed).HasErrors());
  EncryptionSettings rotating = Passphrase("the new passphrase, 16+");
  rotating.fallback = Passphrase("the old passphrase, 16+").key_provider;
  DocumentCipher cipher(rotating);
  ASSERT_FALSE(cipher.Open(Binding(), "the state", sealed, &opened).HasErrors());
  EXPECT_EQ(opened, kPlain);
  // And what it seals, the new key alone opens
  ASSERT_FALSE(cipher.Seal(Binding(), kPlain, &sealed).HasErrors());
  DocumentCipher new_only(Passphrase("the new passphrase, 16+"));
  EXPECT_FALSE(new_only.Open(Binding(), "the state", sealed, &opened).HasErrors());
  EXPECT_TRUE(old_cipher.Open(Binding(), "the state", sealed, &opened).HasErrors());
}

TEST(Envelope, PlaintextPassesUnlessEnforced_EncryptedNeedsAKey) {
  DocumentCipher cipher(Passphrase("correct horse battery staple"));
  std::string opened;
  EXPECT_FALSE(cipher.Open(Binding(), "the state", kPlain, &opened).HasErrors());
  EXPECT_EQ(opened, kPlain);
  EncryptionSettings enforced = Passphrase("correct horse battery staple");
  enforced.enforced = true;
  DocumentCipher strict(enforced);
  Diagnostics refused = strict.Open(Binding(), "the state", kPlain, &opened);
  ASSERT_TRUE(refused.HasErrors());
  EXPECT_EQ(refused.items()[0].summary, "the state is not encrypted, and [encryption] has enforced = true");
  // Without encryption an encrypted document is a clear error
  std::string sealed;
  ASSERT_FALSE(cipher.Seal(Binding(), kPlain, &sealed).HasErrors());
  DocumentCipher none(std::nullopt);
  Diagnostics missing = none.Open(Binding(), "the state", sealed, &opened);
  ASSERT_TRUE(missing.HasErrors());
  EXPECT_EQ(missing.items()[0].summary,
            "the state is encrypted (key provider passphrase), but no encryption is configured");
}

// A backend that keeps documents in memory.
class MemoryBackend : public Backend {
 public:
  std::string Name() const override { return "memory"; }
  Diagnostics ListWorkspaces(std::vector<std::string>*) override { return {}; }
  Diagnostics DeleteWorkspace(const std::string&) override { return {}; }
  Diagnostics ReadState(const std::string& ws, std::optional<std::string>* out) override {
    if (states.count(ws)) *out = states[ws];
    return {};
  }
  Diagnostics WriteState(const std::string& ws, const StateWrite& w) override {
    states[ws] = w.document;
    return {};
  }
  Diagnostics ReadPending(const std::string& ws, std::optional<std::string>* out) override {
    if (journals.count(ws)) *out = journals[ws];
    return {};
  }
  Diagnostics WritePending(const std::string& ws, const std::string& d) override {
    journals[ws] = d;
    return {};
  }
  Diagnostics Lock(const std::string&, LockInfo&, std::chrono::milliseconds) override { return {}; }
  Diagnostics Unlock(const std::string&, const std::string&) override { return {}; }
  Diagnostics ForceUnlock(const std::string&, const std::string&) override { return {}; }
  std::map<std::string, std::string> states, journals;
};

TEST(EncryptingBackend, StoresStateAndJournalSealed_RetriesResendTheSameBytes) {
  MemoryBackend memory;
  auto cipher = std::make_shared<DocumentCipher>(Passphrase("correct horse battery staple"));
  EncryptingBackend backend(nullptr, &memory, cipher, "web");
  // When a state and a journal with an operation are written
  ASSERT_FALSE(backend.WriteState("prod", {kPlain, "lineage-1", 7}).HasErrors());
  std::string first = memory.states["prod"];
  ASSERT_FALSE(backend.WriteState("prod", {kPlain, "lineage-1", 7}).HasErrors());
  EXPECT_EQ(memory.states["prod"], first);
  PendingOperation op;
  op.address = "aws_ssm_parameter.db";
  op.type = "aws_ssm_parameter";
  op.provider = "aws";
  op.action = "create";
  op.started = "2026-11-23T09:30:00Z";
  op.client_token = "t";
  op.planned_state = Value::Map({{"value", Value::String("hunter2-hunter2")}});
  std::string journal = SerializePending({{op.address, op}});
  ASSERT_FALSE(backend.WritePending("prod", journal).HasErrors());
  // Then both are sealed, and read back decrypted
  EXPECT_TRUE(IsEncryptedDocument(memory.states["prod"]));
  EXPECT_TRUE(IsEncryptedDocument(memory.journals["prod"]));
  EXPECT_EQ(memory.journals["prod"].find("hunter2"), std::string::npos);
  std::optional<std::string> read;
  ASSERT_FALSE(backend.ReadState("prod", &read).HasErrors());
  EXPECT_EQ(*read, kPlain);
  ASSERT_FALSE(backend.ReadPending("prod", &read).HasErrors());
  EXPECT_EQ(*read, journal);
  // An empty journal passes as it is (the backend removes it)
  std::string empty = SerializePending({});
  ASSERT_FALSE(backend.WritePending("prod", empty).HasErrors());
  EXPECT_EQ(memory.journals["prod"], empty);
}

}  // namespace
}  // namespace reconcile::encryption
