/* replay.h — the replay driver of a fuzz harness built without libFuzzer: runs every file of a
 * corpus directory through LLVMFuzzerTestOneInput once (ctest runs it in the normal and the
 * ASan+UBSan build, so inputs that once crashed stay fixed). Include once, from main's file. */
#ifndef BOOTHD_FUZZ_REPLAY_H
#define BOOTHD_FUZZ_REPLAY_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>

static int fuzz_replay_main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]); return 2; }
    DIR *d = opendir(argv[1]);
    if (!d) { perror(argv[1]); return 2; }
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) { perror(path); return 1; }
        static uint8_t buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, len);
        n++;
    }
    closedir(d);
    printf("replayed %d inputs\n", n);
    return n > 0 ? 0 : 1;
}

#endif
