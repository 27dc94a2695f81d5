/* Rewrite an ICC profile without its characterization-data tags (targ, DevD, CIED). */
#include <lcms2.h>
#include <stdio.h>
int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: strip IN OUT\n"); return 2; }
    cmsHPROFILE p = cmsOpenProfileFromFile(argv[1], "r");
    if (!p) return 1;
    cmsTagSignature tags[] = { (cmsTagSignature)0x74617267 /* targ */,
                               (cmsTagSignature)0x44657644 /* DevD */,
                               (cmsTagSignature)0x43494544 /* CIED */ };
    for (int i = 0; i < 3; i++) cmsWriteTag(p, tags[i], NULL);
    if (!cmsSaveProfileToFile(p, argv[2])) return 1;
    cmsCloseProfile(p);
    return 0;
}
