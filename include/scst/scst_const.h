/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SAM / SPC / SBC constants shared by the core, the transports and the
 * device handlers. Data only: no functions, no platform dependencies.
 */
#ifndef SCST_CONST_H
#define SCST_CONST_H

/* ---------------------------------------------- SAM status (SAM-5 5.3) ---- */
#define SAM_STAT_GOOD		      0x00
#define SAM_STAT_CHECK_CONDITION      0x02
#define SAM_STAT_CONDITION_MET	      0x04
#define SAM_STAT_BUSY		      0x08
#define SAM_STAT_RESERVATION_CONFLICT 0x18
#define SAM_STAT_TASK_SET_FULL	      0x28
#define SAM_STAT_ACA_ACTIVE	      0x30
#define SAM_STAT_TASK_ABORTED	      0x40

/* ------------------------------------------------- peripheral types ---- */
#define TYPE_DISK	      0x00
#define TYPE_TAPE	      0x01
#define TYPE_PROCESSOR	      0x03
#define TYPE_WORM	      0x04
#define TYPE_ROM	      0x05
#define TYPE_MOD	      0x07
#define TYPE_MEDIUM_CHANGER   0x08
#define TYPE_ENCLOSURE	      0x0d
#define TYPE_NO_LUN	      0x1f /* with qualifier 3: no LU here */
#define SCST_PQ_NOT_CONNECTED 0x01 /* LU supported, not connected */
#define SCST_PQ_NO_LUN	      0x03 /* not capable of a LU here */

/* ------------------------------------------------------- sense keys ---- */
#define NO_SENSE	0x00
#define RECOVERED_ERROR 0x01
#define NOT_READY	0x02
#define MEDIUM_ERROR	0x03
#define HARDWARE_ERROR	0x04
#define ILLEGAL_REQUEST 0x05
#define UNIT_ATTENTION	0x06
#define DATA_PROTECT	0x07
#define BLANK_CHECK	0x08
#define COPY_ABORTED	0x0a
#define ABORTED_COMMAND 0x0b
#define VOLUME_OVERFLOW 0x0d
#define MISCOMPARE	0x0e

/* Sense data response codes (SPC-4 4.5). */
/* Stream-command bits (fixed format byte 2; descriptor type 04h). */
#define SCST_SENSE_FILEMARK 0x80
#define SCST_SENSE_EOM	    0x40
#define SCST_SENSE_ILI	    0x20

#define SCST_SENSE_FIXED_CURRENT  0x70
#define SCST_SENSE_FIXED_DEFERRED 0x71
#define SCST_SENSE_DESC_CURRENT	  0x72
#define SCST_SENSE_DESC_DEFERRED  0x73
#define SCST_SENSE_BUFFERSIZE	  96
#define SCST_STANDARD_SENSE_LEN	  18

/*
 * Sense triples (key, ASC, ASCQ) used as one argument list, e.g.
 * scst_set_cmd_error(cmd, SCST_LOAD_SENSE(scst_sense_invalid_opcode)).
 */
#define SCST_LOAD_SENSE(s)			 s
#define scst_sense_no_sense			 NO_SENSE, 0x00, 0x00
#define scst_sense_hardw_error			 HARDWARE_ERROR, 0x44, 0x00
#define scst_sense_aborted_command		 ABORTED_COMMAND, 0x00, 0x00
#define scst_sense_invalid_opcode		 ILLEGAL_REQUEST, 0x20, 0x00
#define scst_sense_invalid_field_in_cdb		 ILLEGAL_REQUEST, 0x24, 0x00
#define scst_sense_invalid_field_in_parm_list	 ILLEGAL_REQUEST, 0x26, 0x00
#define scst_sense_parameter_list_length_invalid ILLEGAL_REQUEST, 0x1a, 0x00
#define scst_sense_lba_out_of_range		 ILLEGAL_REQUEST, 0x21, 0x00
#define scst_sense_lun_not_supported		 ILLEGAL_REQUEST, 0x25, 0x00
#define scst_sense_invalid_message		 ILLEGAL_REQUEST, 0x49, 0x00
#define scst_sense_saving_params_unsup		 ILLEGAL_REQUEST, 0x39, 0x00
#define scst_sense_data_protect			 DATA_PROTECT, 0x27, 0x00
#define scst_sense_not_ready			 NOT_READY, 0x04, 0x00
#define scst_sense_medium_not_present		 NOT_READY, 0x3a, 0x00
#define scst_sense_read_error			 MEDIUM_ERROR, 0x11, 0x00
#define scst_sense_write_error			 MEDIUM_ERROR, 0x0c, 0x00
#define scst_sense_space_alloc_failed		 DATA_PROTECT, 0x27, 0x07
#define scst_sense_miscompare			 MISCOMPARE, 0x1d, 0x00
#define scst_sense_internal_failure		 HARDWARE_ERROR, 0x44, 0x00
#define scst_sense_nexus_loss_aborted		 ABORTED_COMMAND, 0x29, 0x07
#define scst_sense_overlapped_commands		 ABORTED_COMMAND, 0x4e, 0x00
/* Unit attentions. */
#define scst_sense_reset_UA			 UNIT_ATTENTION, 0x29, 0x00
#define scst_sense_power_on_UA			 UNIT_ATTENTION, 0x29, 0x01
#define scst_sense_bus_reset_UA			 UNIT_ATTENTION, 0x29, 0x02
#define scst_sense_bdr_UA			 UNIT_ATTENTION, 0x29, 0x03
#define scst_sense_nexus_loss_UA		 UNIT_ATTENTION, 0x29, 0x07
#define scst_sense_params_changed_UA		 UNIT_ATTENTION, 0x2a, 0x00
#define scst_sense_mode_changed_UA		 UNIT_ATTENTION, 0x2a, 0x01
#define scst_sense_capacity_changed_UA		 UNIT_ATTENTION, 0x2a, 0x09
#define scst_sense_asym_access_changed_UA	 UNIT_ATTENTION, 0x2a, 0x06
#define scst_sense_reservation_preempted_UA	 UNIT_ATTENTION, 0x2a, 0x03
#define scst_sense_reservation_released_UA	 UNIT_ATTENTION, 0x2a, 0x04
#define scst_sense_registrations_preempted_UA	 UNIT_ATTENTION, 0x2a, 0x05
#define scst_sense_cleared_by_another_ini_UA	 UNIT_ATTENTION, 0x2f, 0x00
#define scst_sense_inquiry_data_changed_UA	 UNIT_ATTENTION, 0x3f, 0x03
#define scst_sense_reported_luns_data_changed_UA UNIT_ATTENTION, 0x3f, 0x0e
#define scst_sense_medium_changed_UA		 UNIT_ATTENTION, 0x28, 0x00

/* ASC values the core keys its rules on. */
#define SCST_ASC_RESET_CLASS		0x29
#define SCST_ASC_LUN_INVENTORY		0x3f
#define SCST_ASCQ_REPORTED_LUNS_CHANGED 0x0e

/* ------------------------------------------------------ operation codes ----
 */
#define TEST_UNIT_READY			     0x00
#define REZERO_UNIT			     0x01
#define REWIND				     0x01
#define REQUEST_SENSE			     0x03
#define FORMAT_UNIT			     0x04
#define FORMAT_MEDIUM			     0x04
#define READ_BLOCK_LIMITS		     0x05
#define REASSIGN_BLOCKS			     0x07
#define INITIALIZE_ELEMENT_STATUS	     0x07
#define READ_6				     0x08
#define WRITE_6				     0x0a
#define SEEK_6				     0x0b
#define READ_REVERSE			     0x0f
#define WRITE_FILEMARKS			     0x10
#define SPACE				     0x11
#define INQUIRY				     0x12
#define VERIFY_6			     0x13
#define RECOVER_BUFFERED_DATA		     0x14
#define MODE_SELECT			     0x15
#define RESERVE				     0x16
#define RELEASE				     0x17
#define COPY				     0x18
#define ERASE				     0x19
#define MODE_SENSE			     0x1a
#define START_STOP			     0x1b
#define LOAD_UNLOAD			     0x1b
#define RECEIVE_DIAGNOSTIC		     0x1c
#define SEND_DIAGNOSTIC			     0x1d
#define ALLOW_MEDIUM_REMOVAL		     0x1e
#define READ_FORMAT_CAPACITIES		     0x23
#define READ_CAPACITY			     0x25
#define READ_10				     0x28
#define WRITE_10			     0x2a
#define SEEK_10				     0x2b
#define LOCATE_10			     0x2b
#define POSITION_TO_ELEMENT		     0x2b
#define WRITE_VERIFY			     0x2e
#define VERIFY				     0x2f
#define PRE_FETCH			     0x34
#define READ_POSITION			     0x34
#define SYNCHRONIZE_CACHE		     0x35
#define LOCK_UNLOCK_CACHE		     0x36
#define READ_DEFECT_DATA		     0x37
#define INITIALIZE_ELEMENT_STATUS_WITH_RANGE 0x37
#define MEDIUM_SCAN			     0x38
#define COMPARE				     0x39
#define COPY_VERIFY			     0x3a
#define WRITE_BUFFER			     0x3b
#define READ_BUFFER			     0x3c
#define UPDATE_BLOCK			     0x3d
#define READ_LONG			     0x3e
#define WRITE_LONG			     0x3f
#define CHANGE_DEFINITION		     0x40
#define WRITE_SAME			     0x41
#define UNMAP				     0x42
#define READ_TOC			     0x43
#define REPORT_DENSITY_SUPPORT		     0x44
#define GET_CONFIGURATION		     0x46
#define GET_EVENT_STATUS_NOTIFICATION	     0x4a
#define LOG_SELECT			     0x4c
#define LOG_SENSE			     0x4d
#define READ_DISC_INFORMATION		     0x51
#define MODE_SELECT_10			     0x55
#define RESERVE_10			     0x56
#define RELEASE_10			     0x57
#define MODE_SENSE_10			     0x5a
#define PERSISTENT_RESERVE_IN		     0x5e
#define PERSISTENT_RESERVE_OUT		     0x5f
#define VARIABLE_LENGTH_CMD		     0x7f
#define WRITE_FILEMARKS_16		     0x80
#define EXTENDED_COPY			     0x83
#define RECEIVE_COPY_RESULTS		     0x84
#define ATA_16				     0x85
#define ACCESS_CONTROL_IN		     0x86
#define ACCESS_CONTROL_OUT		     0x87
#define READ_16				     0x88
#define COMPARE_AND_WRITE		     0x89
#define WRITE_16			     0x8a
#define READ_ATTRIBUTE			     0x8c
#define WRITE_ATTRIBUTE			     0x8d
#define WRITE_VERIFY_16			     0x8e
#define VERIFY_16			     0x8f
#define PRE_FETCH_16			     0x90
#define SYNCHRONIZE_CACHE_16		     0x91
#define SPACE_16			     0x91
#define LOCATE_16			     0x92
#define WRITE_SAME_16			     0x93
#define ERASE_16			     0x93
#define SERVICE_ACTION_IN_16		     0x9e
#define SERVICE_ACTION_OUT_16		     0x9f
#define REPORT_LUNS			     0xa0
#define ATA_12				     0xa1
#define SECURITY_PROTOCOL_IN		     0xa2
#define MAINTENANCE_IN			     0xa3
#define MAINTENANCE_OUT			     0xa4
#define MOVE_MEDIUM			     0xa5
#define EXCHANGE_MEDIUM			     0xa6
#define READ_12				     0xa8
#define SERVICE_ACTION_OUT_12		     0xa9
#define WRITE_12			     0xaa
#define SERVICE_ACTION_IN_12		     0xab
#define WRITE_VERIFY_12			     0xae
#define VERIFY_12			     0xaf
#define SECURITY_PROTOCOL_OUT		     0xb5
#define READ_ELEMENT_STATUS		     0xb8
#define MECHANISM_STATUS		     0xbd

/* Service actions. */
#define SAI_READ_CAPACITY_16	    0x10
#define SAI_GET_LBA_STATUS	    0x12
#define MI_REPORT_TARGET_PGS	    0x0a
#define MI_REPORT_SUPPORTED_OPCODES 0x0c
#define MI_REPORT_SUPPORTED_TMFS    0x0d
#define MO_SET_TARGET_PGS	    0x0a
/* READ POSITION forms (SSC-3 7.7). */
#define RP_SHORT_FORM_BLOCK_ID 0x00
#define RP_SHORT_FORM_VENDOR   0x01
#define RP_LONG_FORM	       0x06
#define RP_EXTENDED_FORM       0x08
/* READ ATTRIBUTE service actions (SPC-4 6.17). */
#define RA_ATTRIBUTE_VALUES	0x00
#define RA_ATTRIBUTE_LIST	0x01
#define RA_LOGICAL_VOLUME_LIST	0x02
#define RA_PARTITION_LIST	0x03
#define RA_SUPPORTED_ATTRIBUTES 0x05

/* REPORT LUNS SELECT REPORT values (SPC-5 6.33). */
#define SCST_SELECT_REPORT_ALL_NON_WLUN	  0x00
#define SCST_SELECT_REPORT_WLUN_ONLY	  0x01
#define SCST_SELECT_REPORT_ALL		  0x02
#define SCST_SELECT_REPORT_ADMIN_ONLY	  0x10
#define SCST_SELECT_REPORT_ADMIN_AND_SUBS 0x11
#define SCST_SELECT_REPORT_SUBSIDIARY	  0x12

/* Control byte bits (SAM-5 5.2). */
#define SCST_CONTROL_NACA 0x04
#define SCST_CONTROL_LINK 0x01

/* --------------------------------------------------- task management ---- */
/* Task management functions the core implements (SAM-5 7). */
enum scst_tmf {
	SCST_ABORT_TASK,
	SCST_ABORT_TASK_SET,
	SCST_CLEAR_TASK_SET,
	SCST_LUN_RESET,
	SCST_TARGET_RESET,    /* iSCSI TARGET WARM RESET */
	SCST_NEXUS_LOSS_SESS, /* I_T NEXUS RESET */
	SCST_QUERY_TASK,
	SCST_QUERY_TASK_SET,
	SCST_CLEAR_ACA,
	SCST_TMF_COUNT,
};

/* Task management responses (SAM-5 7.1). */
enum scst_mgmt_status {
	SCST_MGMT_STATUS_SUCCESS = 0,	   /* FUNCTION COMPLETE */
	SCST_MGMT_STATUS_FN_SUCCEEDED = 1, /* FUNCTION SUCCEEDED (queries) */
	SCST_MGMT_STATUS_TASK_NOT_EXIST = -1,
	SCST_MGMT_STATUS_LUN_NOT_EXIST = -2,
	SCST_MGMT_STATUS_FN_NOT_SUPPORTED = -3,
	SCST_MGMT_STATUS_REJECTED = -4,
	SCST_MGMT_STATUS_FAILED = -5,
};

/* Task set type (control mode page TST). */
#define SCST_TST_0_SINGLE_TASK_SET 0
#define SCST_TST_1_SEP_TASK_SETS   1

#endif /* SCST_CONST_H */
