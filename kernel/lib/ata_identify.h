/*
 * What an ATA disk says about itself: the 256 words IDENTIFY DEVICE
 * returns, decoded. Pure C, host-tested; drivers/ata.c reads the words.
 *
 * Reference: ATA/ATAPI-6 (T13/1410D), IDENTIFY DEVICE and its table
 * "IDENTIFY DEVICE information": word 0 (general configuration), words
 * 10-19 (serial number), 23-26 (firmware revision), 27-46 (model number),
 * 49 (capabilities), 60-61 (total user addressable sectors), 83 (command
 * sets supported) and 100-103 (maximum user LBA for the 48-bit Address
 * feature set). The text fields hold two ASCII characters a word, the
 * first in the high byte, padded with spaces.
 */
#ifndef KERNEL_LIB_ATA_IDENTIFY_H
#define KERNEL_LIB_ATA_IDENTIFY_H

#include <stdbool.h>
#include <stdint.h>

#define ATA_IDENTIFY_WORDS 256

/* Words of the IDENTIFY DEVICE data. */
#define ATA_ID_CONFIG 0             /* bit 15: 0 for an ATA device */
#define ATA_ID_SERIAL 10            /* 20 characters */
#define ATA_ID_SERIAL_WORDS 10
#define ATA_ID_FIRMWARE 23          /* 8 characters */
#define ATA_ID_FIRMWARE_WORDS 4
#define ATA_ID_MODEL 27             /* 40 characters */
#define ATA_ID_MODEL_WORDS 20
#define ATA_ID_CAPABILITIES 49
#define ATA_ID_LBA28_SECTORS 60     /* and 61, low word first */
#define ATA_ID_COMMAND_SETS 83
#define ATA_ID_LBA48_SECTORS 100    /* to 103, low word first */

#define ATA_ID_CONFIG_NOT_ATA 0x8000u       /* word 0 bit 15 */
#define ATA_ID_CAP_DMA 0x0100u              /* word 49 bit 8 */
#define ATA_ID_CAP_LBA 0x0200u              /* word 49 bit 9 */
#define ATA_ID_SETS_LBA48 0x0400u           /* word 83 bit 10 */
/* Word 83 holds valid bits only when its bits 15-14 read 01. */
#define ATA_ID_SETS_VALID_MASK 0xC000u
#define ATA_ID_SETS_VALID 0x4000u

/* 28-bit LBA reaches 2^28 sectors: words 60-61 say 0x0FFFFFFF on a larger
 * disk, whose rest only the 48-bit commands reach. */
#define ATA_LBA28_LIMIT 0x10000000u

struct ata_identity {
    bool ata;               /* word 0 bit 15 clear */
    bool lba;               /* LBA addressing (word 49) */
    bool dma;               /* DMA transfers (word 49) */
    bool lba48;             /* the 48-bit Address feature set (word 83) */
    uint32_t sectors28;     /* sectors 28-bit commands reach (60-61) */
    uint64_t sectors48;     /* sectors 48-bit commands reach; 0 without */
    char model[ATA_ID_MODEL_WORDS * 2 + 1];
    char serial[ATA_ID_SERIAL_WORDS * 2 + 1];
    char firmware[ATA_ID_FIRMWARE_WORDS * 2 + 1];
};

/* Decodes the IDENTIFY DEVICE words; the text fields lose their trailing
 * padding (spaces, or NULs from a device that leaves a field empty), and
 * any other byte that is not printable ASCII becomes '?'. */
void ata_identify_decode(const uint16_t words[ATA_IDENTIFY_WORDS],
                         struct ata_identity *out);

#endif
