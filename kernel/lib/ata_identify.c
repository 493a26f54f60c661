/* IDENTIFY DEVICE decoded: see kernel/lib/ata_identify.h. Pure C. */
#include "kernel/lib/ata_identify.h"

#define BYTE_BITS 8
#define WORD_BITS 16
#define ASCII_FIRST ' '
#define ASCII_LAST '~'

/* n words of text, high byte first, into out (2n + 1 bytes). */
static void text_field(const uint16_t *words, unsigned n, char *out)
{
    unsigned len = 0;
    for (unsigned i = 0; i < n; i++) {
        const char pair[2] = { (char)(words[i] >> BYTE_BITS),
                               (char)words[i] };
        for (unsigned k = 0; k < 2; k++) {
            char c = pair[k];
            if (c == '\0')
                c = ' ';                /* padding, as a space is */
            else if (c < ASCII_FIRST || c > ASCII_LAST)
                c = '?';
            out[len++] = c;
        }
    }
    while (len && out[len - 1] == ' ')
        len--;
    out[len] = '\0';
}

void ata_identify_decode(const uint16_t words[ATA_IDENTIFY_WORDS],
                         struct ata_identity *out)
{
    uint16_t caps = words[ATA_ID_CAPABILITIES];
    uint16_t sets = words[ATA_ID_COMMAND_SETS];

    out->ata = !(words[ATA_ID_CONFIG] & ATA_ID_CONFIG_NOT_ATA);
    out->lba = caps & ATA_ID_CAP_LBA;
    out->dma = caps & ATA_ID_CAP_DMA;
    out->lba48 = (sets & ATA_ID_SETS_VALID_MASK) == ATA_ID_SETS_VALID
                 && (sets & ATA_ID_SETS_LBA48);
    out->sectors28 = (uint32_t)words[ATA_ID_LBA28_SECTORS]
                     | (uint32_t)words[ATA_ID_LBA28_SECTORS + 1] << WORD_BITS;
    out->sectors48 = 0;
    if (out->lba48)
        for (int i = 3; i >= 0; i--)
            out->sectors48 = out->sectors48 << WORD_BITS
                             | words[ATA_ID_LBA48_SECTORS + i];
    text_field(&words[ATA_ID_MODEL], ATA_ID_MODEL_WORDS, out->model);
    text_field(&words[ATA_ID_SERIAL], ATA_ID_SERIAL_WORDS, out->serial);
    text_field(&words[ATA_ID_FIRMWARE], ATA_ID_FIRMWARE_WORDS,
               out->firmware);
}
