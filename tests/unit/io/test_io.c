/*
 * test_io.c — local files (ranges, sizes, errors naming path and strerror),
 * recursive listing with extension filter and the ignore-subdirectory rule,
 * and hive partition parsing with percent-decoding.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io.h"
#include "test.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

TEST(io_file_ranges_and_errors)
{
    char dir[] = "/tmp/qv_ioXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/f.txt", dir);
    write_file(path, "hello world");
    qv_error err;
    io_file *f;
    CHECK_OK(io_file_open(path, &f, &err));
    CHECK_INT_EQ(io_file_size(f), 11);
    CHECK_STR_EQ(io_file_path(f), path);
    uint8_t *buf;
    int64_t n;
    CHECK_OK(io_file_read_range(f, 6, 100, &buf, &n, &err));
    CHECK_INT_EQ(n, 5);
    CHECK_STR_EQ((char *)buf, "world");
    base_free(buf);
    CHECK_OK(io_file_read_range(f, 11, 11, &buf, &n, &err));
    CHECK_INT_EQ(n, 0);
    base_free(buf);
    char small[4];
    CHECK_OK(io_file_read_at(f, 9, small, 4, &n, &err));
    CHECK_INT_EQ(n, 2);
    CHECK_STATUS(io_file_read_at(f, -1, small, 4, &n, &err), QV_INVALID);
    CHECK_STATUS(io_file_read_range(f, 5, 2, &buf, &n, &err), QV_INVALID);
    io_file_close(f);
    io_file_close(NULL);
    CHECK_OK(io_read_file(path, &buf, &n, &err));
    CHECK_INT_EQ(n, 11);
    base_free(buf);

    char missing[300];
    snprintf(missing, sizeof missing, "%s/missing.csv", dir);
    CHECK_STATUS(io_file_open(missing, &f, &err), QV_NOT_FOUND);
    CHECK(f == NULL);
    char expected[400];
    snprintf(expected, sizeof expected, "Unable to open file %s: No such file or directory",
             missing);
    CHECK_STR_EQ(err.message, expected);
    CHECK_STATUS(io_file_open(dir, &f, &err), QV_IO);
    snprintf(expected, sizeof expected, "Unable to open file %s: Is a directory", dir);
    CHECK_STR_EQ(err.message, expected);
    remove(path);
    rmdir(dir);
}

TEST(io_list_files_sorted_filtered)
{
    char dir[] = "/tmp/qv_listXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char p[512];
    snprintf(p, sizeof p, "%s/year=2024", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/year=2024/month=1", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/other", dir);
    mkdir(p, 0700);
    const char *files[] = {"b.csv",           "a.csv",       "x.json",  "year=2024/month=1/c.csv",
                           "year=2024/d.csv", "other/e.csv", "f.csv#12"};
    for (int i = 0; i < 7; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        write_file(p, "1\n");
    }
    qv_error err;
    io_file_list list;
    CHECK_OK(io_list_files(dir, ".csv", true, &list, &err));
    CHECK_INT_EQ(list.n, 4);
    size_t dl = strlen(dir);
    CHECK_STR_EQ(list.entries[0].path + dl, "/a.csv");
    CHECK_STR_EQ(list.entries[1].path + dl, "/b.csv");
    CHECK_STR_EQ(list.entries[2].path + dl, "/year=2024/d.csv");
    CHECK_STR_EQ(list.entries[3].path + dl, "/year=2024/month=1/c.csv");
    CHECK_INT_EQ(list.entries[0].size, 2);
    CHECK(list.entries[0].mtime_ns > 0);
    io_file_list_free(&list);
    CHECK_OK(io_list_files(dir, ".csv", false, &list, &err));
    CHECK_INT_EQ(list.n, 5);
    CHECK_STR_EQ(list.entries[2].path + dl, "/other/e.csv");
    io_file_list_free(&list);
    CHECK_OK(io_list_files(dir, NULL, false, &list, &err));
    CHECK_INT_EQ(list.n, 6);
    io_file_list_free(&list);
    /* a file root is listed whatever its extension */
    snprintf(p, sizeof p, "%s/x.json", dir);
    CHECK_OK(io_list_files(p, ".csv", true, &list, &err));
    CHECK_INT_EQ(list.n, 1);
    io_file_list_free(&list);
    /* trailing slash on the root */
    snprintf(p, sizeof p, "%s/year=2024/", dir);
    CHECK_OK(io_list_files(p, ".csv", true, &list, &err));
    CHECK_INT_EQ(list.n, 2);
    CHECK_STR_EQ(list.entries[0].path + dl, "/year=2024/d.csv");
    io_file_list_free(&list);
    snprintf(p, sizeof p, "%s/nope", dir);
    CHECK_STATUS(io_list_files(p, ".csv", true, &list, &err), QV_NOT_FOUND);
    CHECK(strstr(err.message, "No such file or directory") != NULL);
    CHECK(strstr(err.message, "/nope") != NULL);
    CHECK_INT_EQ(list.n, 0);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

TEST(io_hive_partitions)
{
    qv_error err;
    io_partition_values pv;
    CHECK_OK(io_hive_partitions("/t/", "/t/year=2024/x/m=a%2Fb%zz%4/f=1.csv", &pv, &err));
    CHECK_INT_EQ(pv.n, 2);
    CHECK_STR_EQ(pv.items[0].key, "year");
    CHECK_STR_EQ(pv.items[0].value, "2024");
    CHECK_STR_EQ(pv.items[1].key, "m");
    CHECK_STR_EQ(pv.items[1].value, "a/b%zz%4");
    io_partition_values_free(&pv);
    CHECK_OK(io_hive_partitions("/t", "/t/f.csv", &pv, &err));
    CHECK_INT_EQ(pv.n, 0);
    io_partition_values_free(&pv);
    CHECK_STATUS(io_hive_partitions("/t", "/tx/a=1/f.csv", &pv, &err), QV_INVALID);
    CHECK_STR_EQ(err.message, "path /tx/a=1/f.csv is not below the table root /t");

    const char *cols[] = {"year", "month"};
    char *values[2] = {NULL, NULL};
    qv_status st;
    CHECK(io_hive_match("data", "data/year=2024/month=%3D1/p.csv", cols, 2, values, &st));
    CHECK_STR_EQ(values[0], "2024");
    CHECK_STR_EQ(values[1], "=1");
    base_free(values[0]);
    base_free(values[1]);
    CHECK(!io_hive_match("data", "data/month=1/year=2024/p.csv", cols, 2, values, &st));
    CHECK(!io_hive_match("data", "data/year=2024/p.csv", cols, 2, values, &st));
    CHECK(io_hive_match("data", "data/p.csv", cols, 0, values, &st));
    char *dec = io_percent_decode("%41%4a%", 7);
    CHECK_STR_EQ(dec, "AJ%");
    base_free(dec);
}
