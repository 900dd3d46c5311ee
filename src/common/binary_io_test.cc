#include "common/binary_io.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "common/pod_array.h"

namespace ts {
namespace {

TEST(PodArray, OwnsWhileBuildingAndViewsAfterLoading) {
  PodArray<uint32_t> a;
  for (uint32_t i = 0; i < 1000; ++i) a.push_back(i);  // reallocates: the cached pointer must follow
  ++a.back_mut();
  EXPECT_EQ(a.size(), 1000u);
  EXPECT_EQ(a.back(), 1000u);
  PodArray<uint32_t> copy = a;  // a copy owns its own elements
  copy.push_back(7);
  EXPECT_EQ(a.size(), 1000u);
  EXPECT_EQ(copy[1000], 7u);
  EXPECT_NE(copy.data(), a.data());
  PodArray<uint32_t> moved = std::move(copy);
  EXPECT_EQ(moved.size(), 1001u);
  EXPECT_EQ(moved[999], 1000u);
  std::vector<PodArray<uint32_t>> many(3, a);  // vectors of arrays reallocate and move them
  for (int i = 0; i < 100; ++i) many.push_back(a);
  EXPECT_EQ(many[50][10], 10u);
  const uint32_t raw[] = {4, 5, 6};
  PodArray<uint32_t> view = PodArray<uint32_t>::View(raw, 3);
  EXPECT_EQ(view.data(), raw);
  EXPECT_FALSE(view.owning());
  PodArray<uint32_t> view_copy = view;
  EXPECT_EQ(view_copy.data(), raw);
  view = a;
  EXPECT_EQ(view.size(), 1000u);
}

TEST(BinaryIo, ArraysAreAlignedAndReadInPlaceOrRejected) {
  BinaryWriter w;
  w.Put<uint8_t>(1);  // misalign what follows
  std::vector<uint32_t> v = {1, 2, 3};
  w.PutArray(v.data(), v.size());
  std::string bytes = w.data();  // std::string data is suitably aligned
  BinaryReader r(bytes);
  uint8_t b;
  const uint32_t* p = nullptr;
  size_t n = 0;
  ASSERT_TRUE(r.Get(&b));
  ASSERT_TRUE(r.GetArray(&p, &n));
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(p[2], 3u);
  EXPECT_TRUE(r.done());
  BinaryReader cut(std::string_view(bytes).substr(0, bytes.size() - 2));
  ASSERT_TRUE(cut.Get(&b));
  EXPECT_FALSE(cut.GetArray(&p, &n));
  EXPECT_FALSE(cut.status().ok());
}

TEST(BinaryIo, MappedFileReadsWhatWasWritten) {
  std::string path = ::testing::TempDir() + "/mapped_file_test.bin";
  {
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "wb"), &std::fclose);
    ASSERT_TRUE(f);
    std::fputs("trialscope", f.get());
  }
  auto m = MappedFile::Open(path);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->data(), "trialscope");
  MappedFile moved = std::move(*m);
  EXPECT_EQ(moved.data(), "trialscope");
  EXPECT_TRUE(m->data().empty());
  EXPECT_FALSE(MappedFile::Open(path + ".absent").ok());
  std::remove(path.c_str());
}

// Sections round-trip with their payload aligned, and a change to any byte of the file is refused.
TEST(BinarySections, EveryDamagedByteIsDetected) {
  BinaryWriter w;
  w.Put<uint32_t>(0x54534E50);
  size_t a = w.BeginSection();
  w.PutString("first section");
  const uint64_t values[] = {1, 2, 3};
  w.PutArray(values, 3);
  w.EndSection(a);
  size_t b = w.BeginSection();
  w.EndSection(b);  // an empty one
  const std::string bytes = w.data();

  auto read_all = [](std::string_view in, std::string* text, Status* status) {
    BinaryReader r(in);
    uint32_t magic;
    std::string_view first, second;
    bool ok = r.Get(&magic) && magic == 0x54534E50 && r.GetSection(&first) && r.GetSection(&second) && r.done();
    *status = r.status();
    if (!ok) return false;
    BinaryReader fr(first);
    const uint64_t* arr;
    size_t n;
    return fr.GetString(text) && fr.GetArray(&arr, &n) && n == 3 && arr[2] == 3 && fr.done() && second.empty();
  };
  auto keep = std::make_shared<std::string>(bytes);  // std::string's buffer is aligned for uint64_t
  std::string text;
  Status st;
  ASSERT_TRUE(read_all(*keep, &text, &st)) << st.ToString();
  EXPECT_EQ(text, "first section");
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int flip : {0x01, 0x80, 0xFF}) {
      std::string damaged = bytes;
      damaged[i] = static_cast<char>(static_cast<unsigned char>(damaged[i]) ^ flip);
      EXPECT_FALSE(read_all(damaged, &text, &st)) << "byte " << i;
    }
  }
  std::string_view payload;
  std::string damaged = bytes;
  damaged[30] = static_cast<char>(damaged[30] ^ 1);
  BinaryReader bad(std::string_view(damaged).substr(4));
  EXPECT_FALSE(bad.GetSection(&payload));
  EXPECT_EQ(bad.status().message(), "checksum mismatch in the section at byte 0");
  BinaryReader cut(std::string_view(bytes).substr(4, 20));
  EXPECT_FALSE(cut.GetSection(&payload));
  EXPECT_EQ(cut.status().message().rfind("snapshot truncated or corrupt at byte", 0), 0u);
}

}  // namespace
}  // namespace ts
